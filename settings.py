"""App-wide settings: where caches live and how big inputs may be."""

from __future__ import annotations

import os
from pathlib import Path

#: Typed lists longer than this are cut to their first MAX_ITEMS items, with a visible message.
MAX_ITEMS = 5000
#: The same limit for uploaded files: every page handles this many (bench/ measures it).
MAX_UPLOAD_ITEMS = 100_000

#: Longer items are cut: MiniLM reads at most 256 word pieces anyway.
MAX_ITEM_CHARACTERS = 1000

#: Upper bound on the size of an uploaded word list or corpus file.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def cache_dir() -> Path:
    """Folder for trained vectors and compiled code, outside the repository.

    Set ``EMBEDDING_EXPLORER_CACHE`` to move it; the default follows the XDG
    convention (``~/.cache/embedding-explorer``).
    """
    configured = os.environ.get("EMBEDDING_EXPLORER_CACHE")
    if configured:
        path = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base) / "embedding-explorer"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_is_read_only() -> bool:
    """Whether this process only reads the cache folder (``EMBEDDING_EXPLORER_CACHE_READ_ONLY=1``).

    Replicas behind a balancer share one folder prepared by ``python -m deploy warm``: they read what is
    there and compute anything missing in memory only, so that no replica writes a shared file while
    serving (see ``common.files``).
    """
    return os.environ.get("EMBEDDING_EXPLORER_CACHE_READ_ONLY", "") not in ("", "0")


# --- Uploaded word-vector files (``inputs.vectorfiles``) ----------------------------
#: Upper bound on an uploaded vectors file, and on what decompressing one may produce
#: (a .gz or .zip that unpacks to more is refused while unpacking: no zip bombs).
MAX_VECTOR_FILE_BYTES = 200 * 1024 * 1024
#: The most words a vectors file may hold: GloVe 6B has 400,000.
MAX_VECTOR_ROWS = 500_000
#: The most numbers per vector: the largest common models use 300 to 1,024.
MAX_VECTOR_DIMENSION = 4096
#: Longer lines are refused before parsing: 4,096 numbers of up to 40 characters fit.
MAX_VECTOR_LINE_CHARACTERS = 200_000
#: The vectors one session's uploads may hold at once; older uploads are dropped, with a message, beyond it.
MAX_SESSION_UPLOAD_BYTES = 512 * 1024 * 1024


def atlases_dir() -> Path:
    """Folder holding the atlases ``python -m atlas build`` wrote, one sub-folder each (``atlas.folder``).

    Set ``EMBEDDING_EXPLORER_ATLASES`` to move it; the default is ``atlases`` inside the cache folder.
    """
    configured = os.environ.get("EMBEDDING_EXPLORER_ATLASES")
    path = Path(configured).expanduser() if configured else cache_dir() / "atlases"
    path.mkdir(parents=True, exist_ok=True)
    return path
