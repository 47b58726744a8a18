"""Third-party data the tests read where it lies: ../shared/data/ next to the repository.

The files are never copied into the repository (their licences and size forbid it); a test
that needs one skips, saying which file and where it was looked for, when it is absent.
INCIDENTDB_SHARED_DATA names another folder holding the same files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("INCIDENTDB_SHARED_DATA") or REPO.parent / "shared" / "data")
UCDP_SAMPLE = SHARED_DATA / "ucdp-ged-23.1-central-african-republic.geojson"


def _reason(path: Path) -> str:
    return (
        f"{path.name} not found in {path.parent}: the shared test data lies in ../shared/data "
        "next to the repository (or in the folder INCIDENTDB_SHARED_DATA names)"
    )


def needs(path: Path) -> pytest.MarkDecorator:
    """A mark that skips a test, or one parameter of it, when `path` is absent."""
    return pytest.mark.skipif(not path.is_file(), reason=_reason(path))


def require(path: Path) -> Path:
    """`path`, or skip the calling test or fixture when it is absent."""
    if not path.is_file():
        pytest.skip(_reason(path))
    return path


needs_ucdp = needs(UCDP_SAMPLE)
