"""Write a file so that readers see the old content or the new, never half of it.

Analysis results, reports, exports, the local Neo4j's record and classpath are all read by other
processes; a crash mid-write must not leave a truncated file behind. The temporary file sits in the same
directory (so the rename is atomic), is created owner-readable only (``mkstemp``), is flushed to disk
before the rename, and is removed if anything fails.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO]:
    """Yield a handle on a temporary file that replaces ``path`` when the block ends without error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_atomic(path: Path, data: bytes | str) -> None:
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as handle:
        handle.write(data)
