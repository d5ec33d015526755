"""Benchmark: `selfcheck --help` against a minimal two-command Typer app's `--help`.

Target (docs/design): selfcheck's median within 1.25x of the minimal app's,
measured side by side in the same environment. Both run as fresh processes
with the interpreter of this environment, alternating, so drift on a shared
machine hits both equally.

    python bench/bench_help.py [--runs 40]

If the ratio is too high, find the slow imports with:

    python -X importtime -c "import selfcheck.cli" 2>&1 | sort -t'|' -k2 -n | tail
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''\
import typer

app = typer.Typer({options})


@app.command()
def hello(name: str) -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye(name: str) -> None:
    """Say goodbye."""
    typer.echo(f"bye {name}")


if __name__ == "__main__":
    app()
'''

TARGET = 1.25
SELFCHECK = "selfcheck --help"
MINIMAL = "minimal Typer app --help"
PLAIN = "minimal app, plain help"


def selfcheck_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m selfcheck``."""
    script = Path(sys.executable).with_name("selfcheck" + (".exe" if os.name == "nt" else ""))
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("selfcheck")
    if found and Path(found).parent == Path(sys.executable).parent:
        return [found, "--help"]
    return [sys.executable, "-m", "selfcheck", "--help"]


def time_once(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one run; fails loudly if the command fails."""
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=40, help="timed runs of each command (default 40)"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed runs of each first (default 3)"
    )
    args = parser.parse_args()

    env = {**os.environ, "COLUMNS": "100", "PYTHONDONTWRITEBYTECODE": "0"}
    with tempfile.TemporaryDirectory() as folder:
        minimal_path = Path(folder) / "minimal_app.py"
        minimal_path.write_text(MINIMAL_APP.replace("{options}", ""), encoding="utf-8")
        # The same app with plain (non-rich) help, as selfcheck uses: the stricter baseline.
        plain_path = Path(folder) / "minimal_plain_app.py"
        plain_path.write_text(
            MINIMAL_APP.replace("{options}", "rich_markup_mode=None"), encoding="utf-8"
        )
        commands = {
            SELFCHECK: selfcheck_command(),
            MINIMAL: [sys.executable, str(minimal_path), "--help"],
            PLAIN: [sys.executable, str(plain_path), "--help"],
        }
        for command in commands.values():
            for _ in range(args.warmup):
                time_once(command, env)
        timings: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                timings[name].append(time_once(command, env))

    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"Python {sys.version.split()[0]} at {sys.executable}; {args.runs} alternating runs each")
    for name, values in timings.items():
        print(
            f"  {name:<26} median {medians[name] * 1000:7.1f} ms"
            f"   min {min(values) * 1000:7.1f} ms   max {max(values) * 1000:7.1f} ms"
        )
    ratio = medians[SELFCHECK] / medians[MINIMAL]
    verdict = "OK" if ratio <= TARGET else "ABOVE TARGET"
    print(f"ratio selfcheck / minimal Typer app = {ratio:.2f}  (target <= {TARGET}: {verdict})")
    strict = medians[SELFCHECK] / medians[PLAIN]
    print(f"ratio selfcheck / minimal app with plain help = {strict:.2f}  (stricter comparison)")


if __name__ == "__main__":
    main()
