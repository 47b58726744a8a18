"""List what makes the package hard to read: long modules, long functions and import cycles.

    python scripts/layout_check.py                      # the incidentdb package
    python scripts/layout_check.py --allow 'incidentdb/cli/*' --allow '*:render_*'

A module is long above --max-lines lines (500), a function above --max-function lines (80,
counted as end line minus first line). Imports are read with ast, in a module's body and in its
functions alike (a lazy import still ties two modules); `from a import b` counts as importing
module a.b when there is one, else a. A cycle is a set of modules that import one another.

Each finding has a key that --allow patterns (fnmatch, repeatable) are matched against:
a module's path (incidentdb/seeds/run.py), a function's path:qualified name
(incidentdb/draft/actors.py:find_new_organisations) and a cycle's paths, sorted and joined by
commas. Exit status 1 if any finding is not allowed, else 0.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


Modules = dict[str, tuple[Path, ast.Module, int]]


@dataclass(frozen=True)
class Finding:
    key: str
    text: str


def module_name(path: Path, root: Path) -> str:
    """The dotted name of the module in `path`, `root` being the top package's folder."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_modules(root: Path) -> Modules:
    """Every module under `root`: its name, file, syntax tree and number of lines."""
    out: dict[str, tuple[Path, ast.Module, int]] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        out[module_name(path, root)] = (path, ast.parse(text, str(path)), len(text.splitlines()))
    return out


def long_functions(tree: ast.Module, limit: int) -> list[tuple[str, int, int]]:
    """(qualified name, first line, length) of each function longer than `limit` lines."""
    found: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    length = (child.end_lineno or child.lineno) - child.lineno
                    if length > limit:
                        found.append((name, child.lineno, length))
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def imported(name: str, tree: ast.Module, modules: Modules) -> set[str]:
    """The modules of the package that module `name` imports, anywhere in its text."""
    is_package = modules[name][0].name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                full = f"{base}.{alias.name}" if base else alias.name
                if full in modules:
                    out.add(full)
                elif base in modules:
                    out.add(base)
    out.discard(name)
    return out


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(found)


def shortest_loop(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest import path from the component's first module back to itself."""
    start = component[0]
    members = set(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return component


def findings(root: Path, max_lines: int, max_function: int) -> list[Finding]:
    """Every long module, long function and import cycle under `root`, in that order."""
    modules = read_modules(root)
    shown = {name: path.relative_to(REPO).as_posix() for name, (path, _, _) in modules.items()}
    out: list[Finding] = []
    for name, (_, _, lines) in modules.items():
        if lines > max_lines:
            out.append(Finding(shown[name], f"module   {shown[name]}: {lines} lines"))
    for name, (_, tree, _) in modules.items():
        for qualname, line, length in long_functions(tree, max_function):
            key = f"{shown[name]}:{qualname}"
            out.append(Finding(key, f"function {shown[name]}:{line} {qualname}: {length} lines"))
    graph = {name: imported(name, tree, modules) for name, (_, tree, _) in modules.items()}
    for component in cycles(graph):
        key = ",".join(sorted(shown[m] for m in component))
        loop = " -> ".join(shortest_loop(component, graph))
        out.append(Finding(key, f"cycle    {loop} ({len(component)} modules)"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=REPO / "incidentdb")
    parser.add_argument("--max-lines", type=int, default=500)
    parser.add_argument("--max-function", type=int, default=80)
    parser.add_argument("--allow", action="append", default=[], metavar="PATTERN")
    args = parser.parse_args(argv)
    failed = 0
    for finding in findings(args.root.resolve(), args.max_lines, args.max_function):
        allowed = any(fnmatch.fnmatchcase(finding.key, p) for p in args.allow)
        print(f"{finding.text}{'  (allowed)' if allowed else ''}")
        failed += not allowed
    print(f"{failed} finding(s) not allowed" if failed else "no findings", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
