"""Hypothesis: however the built-in YAML is mangled, validation only ever reports.

Mutations an author makes by accident: deleting lines, swapping characters,
changing indentation (spaces and tabs), duplicating lines, stray characters.
Validation must return a report (never raise), and every problem must be
located inside the file with a message.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck.checklist.loader import validate_checklist_text
from selfcheck.errors import SelfcheckError, YamlError
from selfcheck.yamlsafe import parse_yaml

BUILTIN = Path(__file__).resolve().parent.parent / "checklists"
SOURCES = {
    name: (BUILTIN / name).read_text(encoding="utf-8")
    for name in ("zuofeng-2008.yaml", "liuxing-jiguan.yaml")
}


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = SOURCES[draw(st.sampled_from(sorted(SOURCES)))]
    lines = text.split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(
            st.sampled_from(["delete", "swap", "indent", "dedent", "tab", "duplicate", "insert"])
        )
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[at]
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "swap" and len(line) >= 2:
            i = draw(st.integers(min_value=0, max_value=len(line) - 2))
            lines[at] = line[:i] + line[i + 1] + line[i] + line[i + 2 :]
        elif kind == "indent":
            lines[at] = " " * draw(st.integers(1, 3)) + line
        elif kind == "dedent":
            lines[at] = line[draw(st.integers(1, 4)) :] if line.startswith(" ") else line
        elif kind == "tab":
            lines[at] = "\t" + line.lstrip(" ")
        elif kind == "duplicate":
            lines.insert(at, line)
        elif kind == "insert":
            i = draw(st.integers(min_value=0, max_value=len(line)))
            char = draw(st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?\\ \u3000x1")))
            lines[at] = line[:i] + char + line[i:]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_validation_never_raises_and_locates_every_problem(text: str) -> None:
    report = validate_checklist_text(text.encode("utf-8"), "mutated.yaml")
    line_count = text.count("\n") + 1
    if report.ok:
        assert report.checklist is not None
        return
    assert report.problems
    for problem in report.problems:
        assert problem.file == "mutated.yaml"
        assert problem.line is not None and 1 <= problem.line <= line_count + 1
        assert problem.col is not None and problem.col >= 1
        assert problem.message.strip()
        assert problem.format().startswith(f"mutated.yaml:{problem.line}:{problem.col}: ")


@settings(max_examples=100, deadline=None)
@given(mutated())
def test_the_strict_reader_raises_only_its_own_error(text: str) -> None:
    try:
        parse_yaml(text, "mutated.yaml")
    except YamlError as exc:
        assert isinstance(exc, SelfcheckError)
        assert exc.message


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_validation(text: str) -> None:
    report = validate_checklist_text(text.encode("utf-8", "surrogatepass"), "random.yaml")
    assert report.ok or report.problems
