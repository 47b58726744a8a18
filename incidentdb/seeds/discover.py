"""Finding seed files and their articles, and reading each into a validated document."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from incidentdb.seeds import positioned
from incidentdb.seeds.messages import Problems, add_pydantic_problems, nul_problems
from incidentdb.seeds.model import SeedFile
from incidentdb.seeds.yamlfile import MAX_BYTES, Located, YamlError, describe, position, read_yaml
from incidentdb.write.content_hash import file_digest

SEED_SUFFIXES = (".yaml", ".yml")
DRAFT = ".draft.yaml"
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
NEWLINE = b"\n"


def find_seed_files(paths: Iterable[Path]) -> tuple[list[tuple[Path, str, str]], list[Located]]:
    """(path, shown, name relative to its folder) for every seed file named or found in
    folders, sorted."""
    found: dict[Path, tuple[Path, str, str]] = {}
    problems: list[Located] = []
    for given in paths:
        if given.is_dir():
            for p in sorted(given.rglob("*")):
                # Drafts (`seed draft`) wait for review: a folder load skips them; name one
                # explicitly to validate it.
                if p.suffix in SEED_SUFFIXES and p.is_file() and not p.name.endswith(DRAFT):
                    found.setdefault(p.resolve(), (p, str(p), p.relative_to(given).as_posix()))
        elif given.is_file():
            found.setdefault(given.resolve(), (given, str(given), given.name))
        else:
            problems.append(Located(str(given), 0, 0, "", "no such file or folder"))
    files = sorted(found.values(), key=lambda t: t[2])
    if not files and not problems:
        problems.append(Located(", ".join(map(str, paths)), 0, 0, "", "no seed files (*.yaml)"))
    return files, problems


def quick_hash(path: Path) -> str | None:
    """The ledger hash of a seed file (its bytes, then its article's), without validating
    it; None when that cannot be told without reading the file properly."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
        digest = hashlib.sha256(data)
        article = _article_name(data)
        if article is not None:
            digest.update((path.parent / article).read_bytes())
        return digest.hexdigest()
    except Exception:  # noqa: BLE001 - any doubt: read the file properly
        return None


def _article_name(data: bytes) -> str | None:
    """`source.file` of a seed file, read from libyaml's events, stopping once found."""
    import yaml

    depth = 0
    key: object = None
    in_source = False
    expect_key = False
    for event in yaml.parse(data, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            in_source = in_source or (depth == 2 and key == "source")
            expect_key = isinstance(event, yaml.MappingStartEvent)
            key = None
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
            if depth < 2 and in_source:
                return None  # a source without a file: validation will say so
            expect_key = depth >= 1
        elif isinstance(event, yaml.ScalarEvent):
            if expect_key:
                key = event.value
            elif in_source and depth == 2 and key == "file":
                return str(event.value)
            expect_key = not expect_key if depth >= 1 else expect_key
    return None


def read_seed_file(path: Path, shown: str, legacy: str, problems: Problems) -> SeedFile | None:
    """The file read and validated, or None with its problems added to `problems`."""
    try:
        raw = read_yaml(path, shown)
    except YamlError as exc:
        problems.add(exc.problem)
        return None
    if raw is None:
        problems.add(
            Located(
                shown,
                1,
                1,
                "",
                "the file is empty; a seed file holds a mapping "
                "with keys such as source, incidents, organisations",
            )
        )
        return None
    if not isinstance(raw, dict):
        problems.add(
            Located(
                shown,
                1,
                1,
                "",
                "expected a mapping at the top level (keys such as source, places, incidents), "
                f"got {describe(raw) if isinstance(raw, list) else 'the value ' + repr(raw)}",
            )
        )
        return None
    nul = nul_problems(shown, raw)
    if nul:
        problems.extend(nul)
        return None
    document = validate_document(shown, raw, problems)
    if document is None:
        return None
    positioned.forget_values(raw)  # what is left: the source, the registry name
    digest = file_digest(path)
    body: str | None = None
    if document.source is not None:
        body, problem = read_article(path, shown, raw, document.source)
        if problem:
            problems.add(problem)
            return None
        assert body is not None
        digest.update(body.encode("utf-8"))
    return SeedFile(path, shown, legacy, raw, document, body, digest.hexdigest())


def validate_document(shown: str, raw: dict[str, Any], problems: Problems) -> Any:
    """The SeedDocument in `raw`, or None with its problems added to `problems`.

    Each record of a section is validated on its own, so that pydantic never holds the
    errors of a whole file (a million of them take gigabytes); the problems come in the
    order a validation of the whole document gives them."""
    from pydantic import ValidationError

    from incidentdb.seeds.format import SECTIONS, SeedDocument

    lists = {name: raw[name] for name in SECTIONS if isinstance(raw.get(name), list)}
    try:
        document = SeedDocument.model_validate({**raw, **{name: [] for name in lists}})
        errors: list[Any] = []
    except ValidationError as exc:
        document, errors = None, exc.errors()
    before = problems.count
    for name in SeedDocument.model_fields:
        of_field = [e for e in errors if e["loc"][:1] == (name,)]
        add_pydantic_problems(shown, raw, of_field, problems)
        if name in lists:
            records = _validate_records(shown, raw, name, lists[name], problems)
            if document is not None:
                setattr(document, name, records)
    rest = [e for e in errors if not e["loc"] or e["loc"][0] not in SeedDocument.model_fields]
    if problems.count > before:  # a check of the whole document runs only on valid fields
        rest = [e for e in rest if e["loc"]]
    add_pydantic_problems(shown, raw, rest, problems)
    return document if problems.count == before else None


def _validate_records(
    shown: str, raw: dict[str, Any], name: str, items: list[Any], problems: Problems
) -> list[Any]:
    from pydantic import ValidationError

    from incidentdb.seeds.format import SECTIONS

    model = SECTIONS[name]
    records = []
    for i, item in enumerate(items):
        try:
            records.append(model.model_validate(item))
            positioned.forget_values(item)  # the record holds them now; keep the positions
        except ValidationError as exc:
            errors = [{**e, "loc": (name, i, *e["loc"])} for e in exc.errors()]
            add_pydantic_problems(shown, raw, errors, problems)
    return records


def confined(seed: Path, article: Path) -> str | None:
    """Why the article may not be read, if so: it must be a regular file in the seed file's
    folder (or below it), of at most MAX_ARTICLE_BYTES, so that a seed file cannot load
    /etc/passwd, another folder's files or a device into the database."""
    folder = seed.resolve().parent
    try:
        real = article.resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        return f"article file not found: {article}"
    if not real.is_relative_to(folder):
        return (
            f"expected an article file in the seed file's folder ({folder}) or below it, "
            f"got {article}; copy the article next to the seed file"
        )
    if not real.is_file():
        return f"expected a regular file for the article, got {article}"
    size = real.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        return f"the article {article} has {size:,} bytes; at most {MAX_ARTICLE_BYTES:,} are read"
    return None


def read_article(
    path: Path, shown: str, raw: Any, source: Any
) -> tuple[str | None, Located | None]:
    article = path.parent / source.file
    line, col = position(raw, ("source", "file"))
    refused = confined(path, article)
    if refused:
        return None, Located(shown, line, col, "source.file", refused)
    try:
        data = article.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None, Located(shown, line, col, "source.file", f"article file not found: {article}")
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        sline, scol = position(raw, ("source", "sha256"))
        return None, Located(
            shown,
            sline,
            scol,
            "source.sha256",
            f"the article {article} was edited after coding: expected sha256 {source.sha256}, "
            f"the file has {actual}; re-check every quote, then update sha256",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, Located(
            shown,
            line,
            col,
            "source.file",
            f"the article {article} holds a NUL character at line "
            f"{data.count(NEWLINE, 0, nul) + 1} of it; remove it, then update sha256",
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        aline = data[: exc.start].count(b"\n") + 1
        acol = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1
        return None, Located(
            shown,
            line,
            col,
            "source.file",
            f"expected the article {article} in UTF-8, got the byte 0x{data[exc.start]:02x} "
            f"at line {aline}, column {acol} of it; save it as UTF-8, then update sha256",
        )
