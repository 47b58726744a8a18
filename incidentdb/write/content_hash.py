"""The content hash the ledger (seed_file) keeps for each loaded file: SHA-256 of its bytes,
read in 1 MB chunks so that a large file is never held whole."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def file_digest(path: Path) -> Any:
    """The SHA-256 of the file, as a hash object more bytes can still be added to."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file, in hex."""
    return str(file_digest(path).hexdigest())
