"""Index files are checked against the sha256 in their manifest before anything reads them.

FAISS and numpy files are never parsed unchecked. The checks that passed are remembered by
file identity, so an unchanged index is not re-hashed on every `qa ask`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

from qa.errors import IndexCorrupt

__all__ = ["RACY_NS", "VERIFIED", "sha256_file", "verify_files"]

# Not part of the index: a cache of checksum checks (see verify_files), safe to delete.
VERIFIED = ".verified.json"
RACY_NS = 2_000_000_000  # covers coarse (even 2 s FAT) file timestamps


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_files(index_dir: Path, expected: dict[str, str]) -> None:
    """Check every index file against its manifest checksum, hashing only what may have changed.

    Hashing the ~90 MB encoder alone takes ~0.1 s, too much for every `qa ask`. So a file whose
    checksum matched is remembered in VERIFIED with its size, mtime, ctime and inode, and is not
    hashed again while all four are unchanged. Any write to a file moves its ctime to "now"
    (which, unlike mtime, user space cannot set back), so an edit or truncation is always seen.
    A file changed less than RACY_NS before it was hashed is not remembered: a later write in
    the same clock tick could leave every stat field equal (git's "racy clean" problem).
    """
    cache_path = index_dir / VERIFIED
    try:
        cache = json.loads(cache_path.read_text("utf-8"))
        remembered = cache["files"] if cache.get("version") == 1 else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        remembered = {}
    if not isinstance(remembered, dict):
        remembered = {}
    verified = {}
    for name, digest in expected.items():
        path = index_dir / name
        if not path.is_file():
            raise IndexCorrupt(
                f"index file {name} is missing in {index_dir}: rebuild with `qa index`"
            )
        st = path.stat()
        key = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, digest]
        if remembered.get(name) == key:
            verified[name] = key
            continue
        hashed_at = time.time_ns()
        if sha256_file(path) != digest:
            raise IndexCorrupt(
                f"index file {name} in {index_dir} does not match its checksum "
                "(truncated or edited): rebuild with `qa index`"
            )
        if max(st.st_mtime_ns, st.st_ctime_ns) < hashed_at - RACY_NS:
            verified[name] = key
    if verified != remembered:
        _write_verified(cache_path, verified)


def _write_verified(path: Path, files: dict[str, list]) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"version": 1, "files": files}), "utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only index still loads; it is just hashed every time
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
