"""Unpacking uploads safely: .gz, .bz2 and .zip with a cap on what they unpack to; pickles refused."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import struct
import zipfile
import zlib
from pathlib import PurePosixPath

from inputs.vectorfiles.base import VectorFileError, VectorLimits, _extension, _File, _megabytes

#: Refused by name: these formats are (or may hold) pickles, and loading a pickle runs code.
PICKLE_EXTENSIONS = (".pkl", ".pickle", ".model", ".kv", ".npy", ".npz", ".joblib", ".pt", ".pth", ".ckpt")
#: Archive formats that are not unpacked (only .gz, .bz2 and .zip are).
UNSUPPORTED_ARCHIVE_EXTENSIONS = (".tar", ".tgz", ".tbz2", ".7z", ".rar", ".xz", ".lzma", ".zst", ".br")
_COMPRESSED_EXTENSIONS = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".zip": "zip"}
_PIECE_BYTES = 1024 * 1024
_BZIP2_MAGIC = re.compile(rb"BZh[1-9]1AY&SY")


def _unpack(data: bytes, filename: str, limits: VectorLimits, notes: list[str]) -> list[_File]:
    """The file(s) inside an upload: itself, its decompressed content, or a zip's one file or vectors/metadata pair."""
    if len(data) > limits.max_bytes:
        raise VectorFileError(
            "too-large", f"{filename} is {_megabytes(len(data))}; the limit is {_megabytes(limits.max_bytes)}."
        )
    if not data:
        raise VectorFileError("empty", f"{filename} is empty.")
    _refuse_pickle(filename, data, filename)
    kind = _compression(filename, data, filename)
    if kind is None:
        return [_File(filename, filename, data)]
    if kind == "zip":
        files = _unzip(data, filename, limits)
    else:
        inner = filename[: -len(_extension(filename))] if _extension(filename) in _COMPRESSED_EXTENSIONS else filename
        files = [_File(inner, filename, _decompress(kind, data, filename, limits))]
    for file in files:
        if not file.data:
            raise VectorFileError("empty", f"{file.shown} is empty once unpacked.")
        _refuse_pickle(file.name, file.data, file.shown)
        if _compression(file.name, file.data, file.shown) is not None:
            raise VectorFileError(
                "archive", f"{file.shown} is itself compressed; archives inside archives are not unpacked."
            )
    contents = ", ".join(f"{PurePosixPath(file.name).name} ({_megabytes(len(file.data))})" for file in files)
    notes.append(f"Unpacked {kind}: {filename} holds {contents}.")
    return files


def _compression(name: str, data: bytes, shown: str) -> str | None:
    """The compression of ``data`` by its first bytes (gzip, bzip2, zip) or None.

    A name promising a compression (.gz, .bz2, .zip) that the bytes lack is refused.
    """
    if data.startswith(b"\x1f\x8b"):
        return "gzip"
    if _BZIP2_MAGIC.match(data):
        return "bzip2"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    expected = _COMPRESSED_EXTENSIONS.get(_extension(name))
    if expected is not None:
        raise VectorFileError("archive", f"{shown} is named like {expected} data but does not start like it.")
    return None


def _decompress(kind: str, data: bytes, shown: str, limits: VectorLimits) -> bytes:
    """gzip or bzip2 content, streamed in pieces and refused as soon as it exceeds ``limits.max_bytes``."""
    try:
        stream = gzip.GzipFile(fileobj=io.BytesIO(data)) if kind == "gzip" else bz2.BZ2File(io.BytesIO(data))
        with stream:
            return _read_capped(stream, shown, limits.max_bytes)
    except VectorFileError:
        raise
    except EOFError:
        raise VectorFileError("truncated", f"{shown}: the {kind} data ends early; the file is cut short.") from None
    except (OSError, zlib.error, ValueError) as error:
        raise VectorFileError("archive", f"{shown} cannot be decompressed as {kind}: {error}.") from None


def _read_capped(stream, shown: str, cap: int) -> bytes:
    """Everything ``stream`` yields, read in pieces so that no more than ``cap`` bytes are ever held."""
    # BytesIO hands over its buffer without copying it, so the content is held once, not twice.
    content = io.BytesIO()
    while piece := stream.read(_PIECE_BYTES):
        if content.tell() + len(piece) > cap:
            raise VectorFileError(
                "too-large",
                f"{shown} unpacks to more than {_megabytes(cap)} (the limit); unpacking stopped there.",
            )
        content.write(piece)
    return content.getvalue()


def _unzip(data: bytes, filename: str, limits: VectorLimits) -> list[_File]:
    """The one file of a zip, or its vectors + metadata pair (vectors first)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            for member in members:
                parts = re.split(r"[/\\]", member.filename)
                if member.filename.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", member.filename) or ".." in parts:
                    raise VectorFileError(
                        "archive", f"{filename} holds a file outside its folder ({member.filename!r}); refused."
                    )
            members = [m for m in members if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
            for member in members:
                _refuse_pickle(member.filename, b"", f"{member.filename} in {filename}")
            if not members:
                raise VectorFileError("archive", f"{filename} holds no files.")
            metadata = [m for m in members if "metadata" in PurePosixPath(m.filename).name.lower()]
            if len(members) == 2 and len(metadata) == 1:
                members = [m for m in members if m is not metadata[0]] + metadata
            elif len(members) != 1:
                listed = ", ".join(repr(m.filename) for m in members[:10]) + (", …" if len(members) > 10 else "")
                raise VectorFileError(
                    "archive",
                    f"{filename} holds {len(members)} files ({listed}); a zip must hold one vectors file, "
                    "or a vectors.tsv and a metadata.tsv.",
                )
            files, budget = [], limits.max_bytes
            for member in members:
                shown = f"{member.filename} in {filename}"
                # The declared size is not trusted: reading stops at the cap whatever the header says.
                with archive.open(member) as stream:
                    content = _read_capped(stream, shown, budget)
                budget -= len(content)
                files.append(_File(member.filename, shown, content))
            return files
    except VectorFileError:
        raise
    except EOFError:
        raise VectorFileError("truncated", f"{filename}: the zip data ends early; the file is cut short.") from None
    # A damaged or unusual zip raises many kinds of error from the standard library; to the user they all
    # mean the same thing (RuntimeError: encrypted; NotImplementedError: an unsupported compression method).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, zlib.error, lzma.LZMAError, struct.error,
            NotImplementedError, RuntimeError, ValueError, KeyError) as error:
        raise VectorFileError("archive", f"{filename} cannot be read as a zip: {error}.") from None


def _refuse_pickle(name: str, data: bytes, shown: str) -> None:
    """Refuse pickles by name (.pkl, .model, .npy, .pt, …) and by their first bytes, whatever the name."""
    why = "loading a pickle runs code from the file, so uploaded pickles are never loaded"
    advice = "save the vectors as word2vec text or binary (KeyedVectors.save_word2vec_format) or as Projector TSV"
    extension = _extension(name)
    if extension in PICKLE_EXTENSIONS:
        raise VectorFileError("pickle", f"{shown}: {extension} files are (or may hold) pickles; {why}; {advice}.")
    if len(data) >= 2 and data[0] == 0x80 and 2 <= data[1] <= 5:
        raise VectorFileError("pickle", f"{shown} is a pickle (protocol {data[1]}); {why}; {advice}.")
    if data.startswith(b"\x93NUMPY"):
        raise VectorFileError("pickle", f"{shown} is a NumPy .npy file, which may hold pickles; {why}; {advice}.")
