"""Writing files in the cache folder so that no reader ever sees half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from settings import cache_is_read_only


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Create or replace the file ``path`` with what ``write(file)`` writes to an open binary file.

    The bytes go to a temporary file of a unique name in the same folder, renamed over ``path`` once
    complete (``os.replace``, atomic on one file system): a reader sees the old file or the new one,
    never half of one, and two processes writing the same path at once each rename a whole file. After
    a failure the temporary file is removed and the error raised. What ``write`` returns (such as the byte
    count of ``file.write``) is ignored.

    With a read-only cache (``settings.cache_is_read_only``) nothing is written: callers keep what they
    computed in memory.
    """
    if cache_is_read_only():
        return
    with temporary_path(path) as temporary, open(temporary, "wb") as file:
        write(file)


@contextlib.contextmanager
def temporary_path(path: Path):
    """A unique temporary name beside ``path`` for a library that writes by file name (FAISS, gensim):
    once the block ends without an error the file written there replaces ``path``; after an error it is removed.

    With a read-only cache the name lies in a private temporary folder instead, removed afterwards, and
    ``path`` is left as it was: the library still writes, but nothing reaches the cache folder.
    """
    if cache_is_read_only():
        with tempfile.TemporaryDirectory(prefix="embedding-explorer-unsaved-") as folder:
            yield Path(folder) / Path(path).name
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
