"""The uploaded files as they arrived (`DATA_DIR/originals/<document_id>`), for download and for page images.

A record's id is the hash of its bytes, so a stored original never changes: it is written (atomically: a temp file,
then a rename) before the registry entry that makes the record visible, removed after the registry entry is gone
(delete, replace), and `sweep` at start-up removes the files of records no registry entry lists (a crash between the
two steps). Rendered page images are cached beside them (`DATA_DIR/originals/pages/<document_id>/`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
PAGES_DIR = "pages"


class Originals:
    """Originals of the indexed records, on disk.

    :param root: the folder (created on first write).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def _path(self, document_id: str) -> Path:
        if not _ID_RE.match(document_id):
            raise ValueError(f"not a document id: {document_id!r}")
        return self.root / document_id

    def put(self, document_id: str, data: bytes) -> None:
        """Store a record's bytes (nothing to do when they are stored already: same id, same bytes).

        :param document_id: the record's id (the hash of `data`).
        :param data: the file's bytes.
        """
        path = self._path(document_id)
        if path.exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def path(self, document_id: str) -> Path | None:
        """:returns: the stored file of a record, or None when it has none (indexed before originals were kept)."""
        try:
            path = self._path(document_id)
        except ValueError:
            return None
        return path if path.is_file() else None

    def remove(self, document_id: str) -> None:
        """Remove a record's original and its cached page images (nothing when absent)."""
        try:
            path = self._path(document_id)
        except ValueError:
            return
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        shutil.rmtree(self.root / PAGES_DIR / document_id, ignore_errors=True)

    def page_cache(self, document_id: str, name: str) -> Path:
        """:returns: where a rendered image of a record's page is cached (its folder created)."""
        folder = self.root / PAGES_DIR / self._path(document_id).name
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def sweep(self, listed: Iterable[str], *, min_age: float = 0.0) -> int:
        """Remove the originals (and temp files) of records no registry entry lists.

        :param listed: ids of the listed records.
        :param min_age: leave files younger than this many seconds (another process may be committing them).
        :returns: how many files were removed.
        """
        if not self.root.is_dir():
            return 0
        keep = set(listed)
        now = time.time()
        removed = 0
        with self._lock:
            for entry in self.root.iterdir():
                if not entry.is_file() or entry.name in keep:
                    continue
                try:
                    if now - entry.stat().st_mtime < min_age:
                        continue
                    entry.unlink()
                    removed += 1
                except FileNotFoundError:
                    continue
            pages = self.root / PAGES_DIR
            if pages.is_dir():
                for entry in pages.iterdir():
                    if entry.name not in keep:
                        shutil.rmtree(entry, ignore_errors=True)
        if removed:
            logger.info("Removed %d originals of unlisted records", removed)
        return removed
