"""The bench scripts still run against today's code (a smoke test, not a timed test).

A bench script is run by hand, so an API it calls can be removed without any test
noticing; ``bench_run.py`` once called a method removed stops before. Here each script
runs once at a toy size and must finish and print its ratios. The figures
themselves are never asserted: performance is judged by the scripts, side by side.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
MAKE_DEMO_DATA = {"bench_summary.py", "bench_similarity.py"}
"""Scripts that make demo bureaus (kept in ``--data``; here a fresh temporary folder)."""


@pytest.mark.parametrize(
    ("script", "args", "prints"),
    [
        ("bench_run.py", ["--runs", "2"], "one answer -> next question"),
        ("bench_help.py", ["--runs", "1", "--warmup", "0"], "ratio selfcheck / minimal Typer app"),
        # The folder benches at a toy size, on a demo bureau they make in tmp_path.
        ("bench_summary.py", ["--responses", "40", "--rounds", "1"], "× the bare job"),
        (
            "bench_similarity.py",
            ["--responses", "40", "--rounds", "1", "--quality-people", "60"],
            "scaling ×3",
        ),
    ],
)
def test_a_bench_script_runs_and_prints_its_ratio(
    script: str, args: list[str], prints: str, tmp_path: Path
) -> None:
    data = ["--data", str(tmp_path / "data")] if script in MAKE_DEMO_DATA else []
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *args, *data],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert prints in result.stdout
