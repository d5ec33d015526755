"""The layout keeps its promises: no import cycles, one home for each rule and error."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "selfcheck"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every selfcheck module ``tree`` imports (lazy ones too), TYPE_CHECKING blocks aside."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("selfcheck"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("selfcheck"):
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = _imports(tree, name, path.name == "__init__.py")
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_selfcheck_is_part_of_an_import_cycle() -> None:
    graph = _graph()
    assert "selfcheck.rules" in graph and "selfcheck.response" in graph
    assert _cycles(graph) == []


def _status_words() -> frozenset[str]:
    """Every status word of the domain: rectification, completion, review, 销号, 回头看, carry."""
    from selfcheck import rules

    kinds = (
        rules.Status,
        rules.Completion,
        rules.ReviewStatus,
        rules.Closing,
        rules.RecheckResult,
        rules.CarryState,
    )
    return frozenset(word.value for kind in kinds for word in kind)


def test_status_words_live_only_in_rules() -> None:
    """No status word is a literal outside selfcheck/rules.py (the one home of statuses),
    neither in the code nor compared in a template."""
    words = _status_words()
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "rules.py" and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in words:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value}")
    quoted = re.compile("[\"'](" + "|".join(map(re.escape, sorted(words))) + ")[\"']")
    for path in [*PACKAGE.rglob("*.j2"), *(PACKAGE.parent / "templates").rglob("*.j2")]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            offenders += [f"{path.name}:{n}: {m[1]}" for m in quoted.finditer(line)]
    assert offenders == []


def test_every_selfcheck_error_is_defined_in_errors_py() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if bases & {"SelfcheckError", "UsageError", "ResponseError", "SummaryError"}:
                    offenders.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert offenders == []


def test_every_runtime_dependency_is_named_in_readme_with_its_reason() -> None:
    """The brief: each library beyond the required five is named in README with its reason."""
    tomllib = __import__("pytest").importorskip("tomllib")
    root = PACKAGE.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0] for spec in project["dependencies"]]
    readme = (root / "README.md").read_text(encoding="utf-8")
    table = readme.split("## 依赖及理由", 1)[1].split("\n## ", 1)[0]
    rows = {
        re.split(r"[（( ]", line.split("|")[1].strip(), maxsplit=1)[0].lower(): line
        for line in table.splitlines()
        if line.startswith("| ") and not line.startswith("| 库")
    }
    missing = [name for name in names if name.lower() not in rows]
    assert not missing, f"README 依赖及理由 lacks {missing}"
    for name in names:
        reason = rows[name.lower()].split("|")[3].strip()
        assert len(reason) >= 10, f"{name}: no reason given in README"


@pytest.mark.parametrize("other_checklists", [False, True])
def test_a_summary_with_its_plan_cached_loads_no_checklist_machinery(
    tmp_path: Path, other_checklists: bool
) -> None:
    """The plan cache (summary/plancache.py) exists so that a summary needs neither
    pydantic nor Jinja: also when ./checklists holds other checklists (looking for the
    built-in one once validated every file there, importing both, on every summary)."""
    import subprocess
    import sys

    work = tmp_path / "work"
    (work / "empty").mkdir(parents=True)
    if other_checklists:
        (work / "checklists").mkdir()
        builtin = Path(__file__).resolve().parent.parent / "checklists" / "liuxing-jiguan.yaml"
        (work / "checklists" / "ours.yaml").write_bytes(builtin.read_bytes())
    probe = (
        "import sys\n"
        "from selfcheck.cli import main\n"
        "sys.argv = ['selfcheck', 'summary', 'empty', '--format', 'json', '--no-similarity']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(' '.join(m for m in ('pydantic', 'jinja2') if m in sys.modules))\n"
    )
    env = {**os.environ, "SELFCHECK_CONFIG_DIR": str(tmp_path / "config")}
    for _ in range(2):  # the first run fills the cache
        done = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        loaded = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    assert loaded == "", f"the second summary imported {loaded}"


CONFLICT_MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)
"""The two outer lines git writes (a line of seven = alone is a Markdown heading rule)."""


def test_the_conflict_marker_pattern_finds_a_left_over_merge() -> None:
    assert CONFLICT_MARKER.search("a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> other\n")
    assert not CONFLICT_MARKER.search("标题\n=======\n一行 <<<<<<<< 不算\n")


def test_no_file_of_the_project_holds_a_left_over_merge_conflict() -> None:
    root = PACKAGE.parent
    suffixes = {".py", ".j2", ".css", ".js", ".yaml", ".md", ".toml", ".cfg", ".txt", ".csv"}
    found = []
    for folder in (PACKAGE, root / "tests", root / "docs", root / "bench", root / "checklists"):
        for path in folder.rglob("*"):
            if path.suffix in suffixes and "__pycache__" not in path.parts and path.is_file():
                text = path.read_text("utf-8", errors="replace")
                found += [
                    f"{path.relative_to(root)}:{text[: m.start()].count(chr(10)) + 1}"
                    for m in CONFLICT_MARKER.finditer(text)
                ]
    for name in ("README.md", "pyproject.toml"):
        text = (root / name).read_text("utf-8")
        found += [
            f"{name}:{text[: m.start()].count(chr(10)) + 1}" for m in CONFLICT_MARKER.finditer(text)
        ]
    assert found == []
