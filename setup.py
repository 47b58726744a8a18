"""The build's one mapping pyproject.toml cannot say: the migration scripts.

`alembic/` stays at the repository root, where `alembic` commands find it through
alembic.ini; the wheel carries the same files inside the package, as `incidentdb/_alembic/`
(env.py, script.py.mako, versions/*.py), where incidentdb.db.migrations finds them once
installed.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["incidentdb", "incidentdb.*"]),
        "incidentdb._alembic",
        "incidentdb._alembic.versions",
    ],
    package_dir={"incidentdb._alembic": "alembic"},
)
