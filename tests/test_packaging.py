"""The built wheel carries what an installed incidentdb needs: migrations, views, licence."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from incidentdb.db import migrations
from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("incidentdb-*.whl")
    return built


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked as an installer lays it out, beside Alembic's own package."""
    folder = tmp_path_factory.mktemp("site-packages")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(folder)
    (folder / "alembic").mkdir()
    (folder / "alembic" / "__init__.py").write_text("")
    return folder


def revisions(location: Path) -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(location))
    return [s.revision for s in ScriptDirectory.from_config(config).walk_revisions()]


def test_the_wheel_holds_every_migration_script(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"incidentdb/_alembic/env.py", "incidentdb/_alembic/script.py.mako"} | {
        f"incidentdb/_alembic/versions/{p.name}"
        for p in (REPO / "alembic" / "versions").glob("*.py")
    }
    assert len(expected) > 2
    assert expected <= names, sorted(expected - names)


def test_the_wheel_holds_the_view_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"incidentdb/views/{p.name}" for p in (REPO / "incidentdb" / "views").glob("*.sql")}
    assert expected
    assert expected <= names, sorted(expected - names)


def test_the_wheel_holds_the_license(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(name) == (REPO / "LICENSE").read_bytes()
        metadata = archive.read(name.replace("licenses/LICENSE", "METADATA")).decode()
    assert "License-Expression: Apache-2.0" in metadata


def test_an_installed_incidentdb_finds_its_scripts_in_the_package(site: Path) -> None:
    """Alembic's own alembic/ beside the package is not taken for the project's scripts."""
    found = migrations.find_scripts(site / "incidentdb")
    assert found == site / "incidentdb" / "_alembic"
    assert revisions(found) == revisions(REPO / "alembic")


def test_a_checkout_uses_its_alembic_folder() -> None:
    assert migrations.find_scripts() == REPO / "alembic"
    assert migrations.find_scripts(REPO / "incidentdb") == REPO / "alembic"
