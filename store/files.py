"""The store's files on disk, owner-only whatever the folder's mode or the process's umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy.engine import URL

from store.errors import StoreConfigError

OWNER_ONLY = 0o600
# SQLite's companions of a database file, and the lock file migrations take beside it.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", ".migrate.lock")


def open_private(path: Path, flags: int) -> int:
    """A descriptor on `path`, created owner-only, made owner-only if it existed; no symlink.

    Raises OSError (PermissionError when another user owns the file).
    """
    descriptor = os.open(path, flags | os.O_CREAT | os.O_NOFOLLOW, OWNER_ONLY)
    try:
        # An existing file keeps its mode on open: one made by an older release or another
        # umask is narrowed here. fchmod of another user's file fails, as it should.
        if stat.S_IMODE(os.fstat(descriptor).st_mode) != OWNER_ONLY:
            os.fchmod(descriptor, OWNER_ONLY)
    except OSError:
        os.close(descriptor)
        raise
    return descriptor


def private_sqlite_file(url: URL) -> None:
    """Create the SQLite database file owner-only before SQLite does, and narrow its companions.

    SQLite gives its -wal, -shm and -journal files the database file's own mode (and fchmods
    them to it, past the umask), so an owner-only database keeps every companion owner-only.
    """
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    path = Path(database)
    try:
        os.close(open_private(path, os.O_RDWR))
        for suffix in COMPANION_SUFFIXES:
            companion = Path(f"{database}{suffix}")
            if companion.is_file() and not companion.is_symlink():
                os.close(open_private(companion, os.O_RDONLY))
    except OSError as exc:
        raise StoreConfigError(
            f"The store's database file cannot be made readable by this user only "
            f"({exc.strerror}); give the data folder and its files to the dashboard's user.",
            detail=f"The SQLite file {path} (or a companion) cannot be made owner-only: {exc}.",
        ) from exc
