"""The package's boundaries, checked on its source: what each part alone may know.

- Only ``arhiva/archive/`` knows the archive's file names: every other module
  asks it (``Archive.text``, ``Archive.manifest``…), so that the layout can
  change in one place.
- Only ``arhiva/search/`` imports Whoosh: the rest of arhiva speaks to the
  search index through its interface, so that another backend can replace it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "arhiva"

#: The names of the archive's files and folders, as they would be spelled in code.
ARCHIVE_NAMES = re.compile(
    r"(?<![\w-])(manifest\.json|metadata\.json|changes\.json|text\.txt|corrections\.jsonl?|journal\.jsonl"
    r"|journal\.intent|arhiva\.json|archive\.lock|index\.lock)(?!\w)"
    r"|(?<![\w-])pages/"  # pages/0001.txt
)
#: arhiva/testing/ holds test tools that tamper with stored files on purpose,
#: as a hostile user would, by their names.
OWNERS = {"archive": PACKAGE / "archive", "testing": PACKAGE / "testing"}


def modules(outside: Path | tuple[Path, ...]) -> list[Path]:
    outside = outside if isinstance(outside, tuple) else (outside,)
    return sorted(p for p in PACKAGE.rglob("*.py") if not any(o in p.parents for o in outside))


def code_strings(tree: ast.AST) -> list[ast.Constant]:
    """The string constants of a module, docstrings left out (they may name files to explain them)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def spelled_names(source: str, where: str = "") -> list[str]:
    """The archive's file names spelled in a module's code, each as ``where:line: name``."""
    return [f"{where}:{node.lineno}: {match.group(0)}"  # an f-string's literal parts are constants too
            for node in code_strings(ast.parse(source)) for match in ARCHIVE_NAMES.finditer(node.value)]


def whoosh_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        found += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {n}"
                  for n in names if n == "whoosh" or n.startswith("whoosh.")]
    return found


@pytest.mark.parametrize("source, spelled", [
    ('x = "changes.json"', True),
    ('x = folder / "pages/0001.txt"', True),
    ('x = f"pages/{n:04d}.txt"', True),
    ('x = "arhiva-index.json"', False),  # the index's own file: search/ keeps it
    ('"""Reads manifest.json."""', False),  # a docstring explains
    ('x = manifest.json', False),  # an attribute, not a name
])
def test_the_check_sees_a_spelled_file_name(source, spelled):
    assert bool(spelled_names(source)) == spelled


def test_only_the_archive_spells_its_file_names():
    found = [line for path in modules(tuple(OWNERS.values()))
             for line in spelled_names(path.read_text("utf-8"), str(path.relative_to(PACKAGE.parent)))]
    assert found == []


def test_only_search_imports_whoosh():
    found = [line for path in modules(PACKAGE / "search") for line in whoosh_imports(path)]
    assert found == []


def test_the_checks_look_at_every_module():
    assert len(modules(tuple(OWNERS.values()))) > 20
    assert any(whoosh_imports(p) for p in (PACKAGE / "search").rglob("*.py"))  # found where it is
