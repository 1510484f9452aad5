"""Your own vectors: read from the sidebar with progress, kept in this session only.

Uploaded sets live in this session's state and nowhere else: never in a shared cache
(``st.cache_resource`` or the registry), so no other user can see them, and they are
gone with the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from embedders.uploaded import UploadedVectorsEmbedder
from settings import MAX_SESSION_UPLOAD_BYTES, MAX_VECTOR_DIMENSION, MAX_VECTOR_FILE_BYTES, MAX_VECTOR_ROWS

UPLOADS_KEY = "uploaded_vectors"
VECTOR_FILE_TYPES = ["txt", "vec", "bin", "tsv", "gz", "bz2", "zip"]


@dataclass
class SessionUploads:
    """This session's uploaded vector sets by method name (oldest first), and what it has read."""

    methods: dict[str, UploadedVectorsEmbedder] = field(default_factory=dict)
    #: Upload ids already read, with the error message of those refused (None when read):
    #: reruns neither read a file again nor forget why it was refused.
    read: dict[str, str | None] = field(default_factory=dict)
    #: The method to select in the next method picker: the one just uploaded.
    just_added: str | None = None
    #: The set read from each vectors file (by upload id): adding its metadata replaces it.
    read_from: dict[str, str] = field(default_factory=dict)
    #: Titles of the sets dropped to make room for the last one.
    dropped: list[str] = field(default_factory=list)

    def add(self, embedder: UploadedVectorsEmbedder, replacing: str | None = None) -> None:
        """Keep ``embedder`` (instead of the set named ``replacing``, read before from the same file);
        drop the oldest sets beyond the session's memory budget (listed in ``dropped``)."""
        self.methods.pop(embedder.name, None)
        if replacing is not None:
            self.methods.pop(replacing, None)
        self.methods[embedder.name] = embedder
        self.just_added = embedder.name
        self.dropped = []
        while sum(e.memory_bytes for e in self.methods.values()) > MAX_SESSION_UPLOAD_BYTES and len(self.methods) > 1:
            oldest = next(iter(self.methods))
            self.dropped.append(self.methods.pop(oldest).title)


def session_uploads() -> SessionUploads:
    """This session's uploads (created on first use)."""
    return st.session_state.setdefault(UPLOADS_KEY, SessionUploads())


def uploaded_methods() -> dict[str, UploadedVectorsEmbedder]:
    return session_uploads().methods


def limits_text() -> str:
    return (f"Up to {MAX_VECTOR_FILE_BYTES / 2**20:,.0f} MB (also once unpacked), {MAX_VECTOR_ROWS:,} words and "
            f"{MAX_VECTOR_DIMENSION:,} numbers per word; your uploads may hold "
            f"{MAX_SESSION_UPLOAD_BYTES / 2**20:,.0f} MB of vectors at once.")


def vectors_sidebar() -> None:
    """The sidebar's "Your own vectors" section: upload, read with progress, list and remove."""
    from inputs import vectorfiles

    uploads = session_uploads()
    with st.sidebar.expander("Your own vectors", expanded=bool(uploads.methods)):
        st.caption(
            "A word2vec (.txt, .bin), GloVe (.txt) or fastText (.vec) file, or the TensorFlow Projector's "
            "vectors.tsv with its metadata.tsv; also inside .gz, .bz2 or .zip. It becomes a method on every "
            "page, for you only: it stays in this browser tab's session. " + limits_text()
        )
        upload = st.file_uploader("Vectors file", type=VECTOR_FILE_TYPES, key="vectors_upload")
        metadata = None
        if upload is not None and upload.name.lower().removesuffix(".gz").endswith(".tsv"):
            metadata = st.file_uploader("Metadata (optional): metadata.tsv", type=["tsv", "txt"],
                                        key="vectors_metadata_upload")
        if upload is not None:
            upload_id = f"{upload.file_id}/{metadata.file_id if metadata else ''}"
            if upload_id not in uploads.read:
                uploads.read[upload_id] = _read(upload, metadata, uploads, vectorfiles)
                if uploads.read[upload_id] is None:
                    st.rerun()  # so that the word list and method pickers above offer the new set
            if uploads.read[upload_id] is not None:
                st.error(uploads.read[upload_id])
        for title in uploads.dropped:
            st.warning(f"{title} was removed to keep your uploads within {MAX_SESSION_UPLOAD_BYTES / 2**20:,.0f} MB.")
        for name, embedder in list(uploads.methods.items()):
            st.text("\n".join(embedder.report()))  # file names and words are user text: never Markdown
            if st.button(f"Remove {embedder.filename}", key=f"remove_{name}"):
                del uploads.methods[name]
                st.rerun()


def _read(upload, metadata, uploads: SessionUploads, vectorfiles) -> str | None:
    """Read one upload into the session; None, or the message saying why it was refused."""
    bar = st.progress(0.0, text=f"Reading {upload.name}…")
    try:
        vector_set = vectorfiles.read_vectors(
            upload.getvalue(), upload.name,
            metadata=metadata.getvalue() if metadata else None,
            metadata_filename=metadata.name if metadata else "metadata.tsv",
            progress=lambda fraction, message: bar.progress(min(max(fraction, 0.0), 1.0), text=message),
        )
    except vectorfiles.VectorFileError as error:
        bar.empty()
        return str(error)
    bar.empty()
    embedder = UploadedVectorsEmbedder(vector_set, upload.name)
    uploads.add(embedder, replacing=uploads.read_from.get(upload.file_id))
    uploads.read_from[upload.file_id] = embedder.name
    return None
