"""The quick bench scripts still run against today's code (a smoke test, not a timed test).

A bench script is run by hand, so an API it calls can be removed without any test
noticing; ``bench_run.py`` once called a method removed stops before. Here each quick
script runs once at its smallest size and must finish and print its ratios. The figures
themselves are never asserted: performance is judged by the scripts, side by side.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize(
    ("script", "args", "prints"),
    [
        ("bench_run.py", ["--runs", "2"], "one answer -> next question"),
        ("bench_help.py", ["--runs", "1", "--warmup", "0"], "ratio selfcheck / minimal Typer app"),
    ],
)
def test_a_quick_bench_script_runs_and_prints_its_ratio(
    script: str, args: list[str], prints: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert prints in result.stdout
