"""Benchmark: `selfcheck summary DIR --format json` against the floor, side by side.

The floor is one Python process that walks the folder, reads every file and
``json.loads`` it. Both are measured end to end as child processes (interpreter
start-up and imports included), alternating, several times; the script prints
medians, the ratio to the floor, and peak memory (ru_maxrss of the child and
its own children; the script itself stays small, because a child's peak
includes its parent's size at the moment it was spawned). With ``--large`` it
also runs ten times as many responses and prints how time and memory grow.

A third command, the *bare job*, is printed beside them as a reference: the
least any Python summary must do on top of the floor (decode each file with
msgspec, count its choice answers, write them out again), with no checking,
no rules, no hostile-folder care and no command line. How far the bare job
already is from the floor shows how much of a target is left for the rest.

Start-up is measured in the same rounds: the summary of an empty folder (the
command line, imports, checklist and reader, output) against ``python -c
pass``. Taking each from its side gives the per-file ratio, the part of the
ratio that grows with the folder.

Targets (design.md §5, issue #9): in ONE process, both sides pinned to one CPU
(``taskset -c 0`` where available), the summary takes at most 1.5× the floor at
10,000 responses and 1.2× at 100,000, growing linearly with flat peak memory.

Usage::

    python bench/bench_summary.py                  # 10,000 responses, 5 rounds
    python bench/bench_summary.py --large          # and 100,000
    python bench/bench_summary.py --data /tmp/sb   # where the demo bureaus are kept

Demo data is made once with ``selfcheck demo`` (SELFCHECK_TODAY=2009-01-15) and
reused. The package is byte-compiled first, as an installed wheel would be.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLOOR = """
import json, os, sys
n = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".json"):
            with open(os.path.join(root, name), "rb") as handle:
                json.loads(handle.read())
            n += 1
print(n)
"""
BARE = """
import collections, os, sys
import msgspec
decode = msgspec.json.Decoder().decode
encode = msgspec.json.Encoder().encode
counts = collections.Counter()
lines = []
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".json"):
            with open(os.path.join(root, name), "rb") as handle:
                data = decode(handle.read())
            keys = []
            for item, given in data.get("answers", {}).items():
                for qid, value in given.items():
                    if isinstance(value, str):
                        keys.append((item, qid, value))
            counts.update(keys)
            lines.append(encode(data.get("answers")))
sys.stdout.buffer.write(b"\\n".join(lines))
"""
PEOPLE_PER_RESPONSE = 1.056  # demo: ~7% send nothing, ~2% hand in an earlier copy too


PIN = ["taskset", "-c", "0"] if shutil.which("taskset") else []


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one child process, output discarded."""
    argv = [*PIN, *argv]
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{stderr}")
    return elapsed, usage.ru_maxrss


def ensure_demo(data: Path, responses: int, env: dict[str, str]) -> Path:
    """A demo bureau with about ``responses`` response files (made once)."""
    people = round(responses * PEOPLE_PER_RESPONSE)
    folder = data / f"demo-{people}"
    if not (folder / "名单.csv").exists():
        print(f"making {folder} ({people} people)…", flush=True)
        subprocess.run(
            [sys.executable, "-m", "selfcheck", "demo", str(folder), "--people", str(people)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder / "答卷"


def count_files(folder: Path, env: dict[str, str]) -> int:
    """How many response files (counted by the floor script, in its own process)."""
    result = subprocess.run(
        [sys.executable, "-c", FLOOR, str(folder)], env=env, check=True, capture_output=True
    )
    return int(result.stdout)


def measure(folder: Path, rounds: int, env: dict[str, str]) -> dict[str, float]:
    """Median time and memory of the floor, the bare job and the summary, alternating."""
    summary_env = env
    floor_cmd = [sys.executable, "-c", FLOOR, str(folder)]
    bare_cmd = [sys.executable, "-c", BARE, str(folder)]
    # 雷同检查 has its own bench (bench_similarity.py, ratio with/without); this one
    # measures the core: reading, validating, reducing and counting.
    summary_cmd = [
        *[sys.executable, "-m", "selfcheck", "summary", str(folder)],
        *["--format", "json", "--no-similarity"],
    ]
    empty = Path(tempfile.mkdtemp(prefix="selfcheck-empty-"))
    empty_cmd = [*summary_cmd[:4], str(empty), *summary_cmd[5:]]
    python_cmd = [sys.executable, "-c", "pass"]
    run(summary_cmd, summary_env)  # warm the page cache and the checklist cache
    run(floor_cmd, env)
    floor_t, floor_m, bare_t, ours_t, ours_m, start_t, python_t = [], [], [], [], [], [], []
    try:
        for _ in range(rounds):
            t, m = run(floor_cmd, env)
            floor_t.append(t)
            floor_m.append(m)
            bare_t.append(run(bare_cmd, env)[0])
            t, m = run(summary_cmd, summary_env)
            ours_t.append(t)
            ours_m.append(m)
            start_t.append(run(empty_cmd, summary_env)[0])
            python_t.append(run(python_cmd, env)[0])
    finally:
        empty.rmdir()
    return {
        "floor": statistics.median(floor_t),
        "bare": statistics.median(bare_t),
        "summary": statistics.median(ours_t),
        "floor_kib": statistics.median(floor_m),
        "summary_kib": statistics.median(ours_m),
        "start": statistics.median(start_t),
        "python": statistics.median(python_t),
    }


def report(label: str, files: int, m: dict[str, float]) -> None:
    ratio = m["summary"] / m["floor"]
    print(
        f"{label:>18}: {files:>7} files  floor {m['floor']:.2f} s  summary {m['summary']:.2f} s  "
        f"ratio {ratio:.2f}×  memory floor {m['floor_kib'] / 1024:.0f} MiB, "
        f"summary {m['summary_kib'] / 1024:.0f} MiB",
        flush=True,
    )
    print(
        f"{'':>18}  bare job {m['bare']:.2f} s = {m['bare'] / m['floor']:.2f}× the floor; "
        f"summary = {m['summary'] / m['bare']:.2f}× the bare job",
        flush=True,
    )
    per_file = (m["summary"] - m["start"]) / max(m["floor"] - m["python"], 1e-9)
    print(
        f"{'':>18}  start-up: empty folder {m['start']:.3f} s, python -c pass "
        f"{m['python']:.3f} s; per file (start-up taken off both sides) "
        f"{per_file:.2f}× the floor",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="also run ten times as many responses")
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "selfcheck-bench"
    )
    args = parser.parse_args()

    compileall.compile_dir(str(REPO / "selfcheck"), quiet=1)
    with tempfile.TemporaryDirectory() as config:
        env = {**os.environ, "SELFCHECK_TODAY": "2009-01-15", "SELFCHECK_CONFIG_DIR": config}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        small = ensure_demo(args.data, args.responses, env)
        n_small = count_files(small, env)
        pinned = "pinned to CPU 0" if PIN else "not pinned (no taskset)"
        print(
            f"CPUs: {os.cpu_count()}, {pinned}, load average: {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        m_small = measure(small, args.rounds, env)
        report("summary", n_small, m_small)
        if not args.large:
            return
        large = ensure_demo(args.data, args.responses * 10, env)
        n_large = count_files(large, env)
        m_large = measure(large, max(3, args.rounds // 2), env)
        report("summary", n_large, m_large)
        scale = n_large / n_small
        print(
            f"growth ×{scale:.1f} files: time ×{m_large['summary'] / m_small['summary']:.1f} "
            f"(floor ×{m_large['floor'] / m_small['floor']:.1f}); "
            f"peak memory ×{m_large['summary_kib'] / m_small['summary_kib']:.2f} (target ≤ 1.5)",
            flush=True,
        )


if __name__ == "__main__":
    main()
