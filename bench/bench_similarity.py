"""Benchmark and quality check of 雷同检查 (issue 12), figures printed side by side.

Quality: a 2,000-person demo bureau with 5 % planted copies (``selfcheck demo
--copies 0.05``); ``selfcheck summary --format json`` at the default
thresholds; the pairs in ``similar_pairs`` are compared with the demo's answer
key. A reported person pair counts as right when it is a planted pair, or two
copies of the same source (they share the source's text). Printed: precision,
recall of the planted pairs, and the share of honest respondents (neither copier
nor copied) that appear in any pair.

Speed: ``summary --format json`` with and without 雷同检查 (``--no-similarity``)
on about 10,000 responses, end to end as child processes (start-up included),
alternating, both pinned to CPU 0 (``taskset -c 0``); medians and the ratio
(target ≤ 2×, design.md §5). Scaling: the same at 3× the size (``--large``: 10×),
with peak memory, to show near-linear growth.

Usage::

    python bench/bench_similarity.py                 # quality + 10,000 + 30,000
    python bench/bench_similarity.py --large         # and 100,000, with its quality (slow)
    python bench/bench_similarity.py --quality-only
    python bench/bench_similarity.py --responses 40 --rounds 1 --quality-people 60  # smoke run
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PIN = ["taskset", "-c", "0"] if shutil.which("taskset") else []
PEOPLE_PER_RESPONSE = 1.056


def run(argv: list[str], env: dict[str, str], out: Path | None = None) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one pinned child process."""
    argv = [*PIN, *argv]
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{err}")
    return elapsed, usage.ru_maxrss


def demo(data: Path, people: int, copies: float, env: dict[str, str]) -> Path:
    """A demo bureau (made once per size, copy share and version of the built-in checklist)."""
    version = subprocess.run(
        [
            sys.executable,
            "-c",
            "from selfcheck.checklist.registry import resolve_checklist as r;print(r(None).sha256)",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()[:12]
    folder = data / f"demo-{people}-{copies}-{version}"
    if not (folder / "名单.csv").exists():
        if folder.exists():
            shutil.rmtree(folder)
        print(f"making {folder} …", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "selfcheck",
                "demo",
                str(folder),
                "--people",
                str(people),
                "--seed",
                "12",
                "--copies",
                str(copies),
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return folder


def quality(data: Path, env: dict[str, str], people: int = 2000) -> None:
    """Precision, recall and honest respondents flagged, from the demo's answer key."""
    folder = demo(data, people, 0.05, env)
    out = data / f"quality-{people}.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "selfcheck",
            "summary",
            str(folder / "答卷"),
            "--format",
            "json",
            "-o",
            str(out),
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    summary = json.loads(out.read_text("utf-8"))
    key = json.loads((folder / "雷同答案.json").read_text("utf-8"))["planted"]

    def who(p: dict[str, str]) -> tuple[str, str]:
        return (p["unit"], p["name"])

    planted = {frozenset((who(k["copier"]), who(k["source"]))) for k in key}
    copies_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for k in key:
        copies_of.setdefault(who(k["source"]), []).append(who(k["copier"]))
    right = set(planted)
    for copiers in copies_of.values():
        right |= {frozenset((x, y)) for x in copiers for y in copiers if x != y}
    found = {frozenset((who(p["a"]), who(p["b"]))) for p in summary["similar_pairs"]}
    involved = {person for pair in planted for person in pair}
    people = {(r["unit"], r["name"]) for r in summary["records"]}
    honest = people - involved
    flagged_honest = {p for pair in found for p in pair if p in honest}
    precision = len(found & right) / len(found) if found else 1.0
    recall = len(planted & found) / len(planted) if planted else 1.0
    print(
        f"quality: {len(people)} respondents, {len(planted)} planted copies, "
        f"{len(summary['similar_pairs'])} pairs reported ({len(found)} person pairs)\n"
        f"  precision {precision:.3f} (target ≥ 0.95)   recall {recall:.3f} (target ≥ 0.95)   "
        f"honest flagged {len(flagged_honest)}/{len(honest)} = "
        f"{len(flagged_honest) / max(1, len(honest)):.2%} (target ≤ 1%)",
        flush=True,
    )


def speed(data: Path, responses: int, rounds: int, env: dict[str, str]) -> dict[str, float]:
    """Medians of the summary with and without 雷同检查."""
    folder = demo(data, round(responses * PEOPLE_PER_RESPONSE), 0.05, env) / "答卷"
    base = [sys.executable, "-m", "selfcheck", "summary", str(folder), "--format", "json"]
    without = [*base, "--no-similarity"]
    run(base, env)
    run(without, env)
    t_off, t_on, m_off, m_on = [], [], [], []
    for _ in range(rounds):
        t, m = run(without, env)
        t_off.append(t)
        m_off.append(m)
        t, m = run(base, env)
        t_on.append(t)
        m_on.append(m)
    figures = {
        "off": statistics.median(t_off),
        "on": statistics.median(t_on),
        "off_mib": statistics.median(m_off) / 1024,
        "on_mib": statistics.median(m_on) / 1024,
    }
    print(
        f"{responses:>7} responses: summary {figures['off']:.2f} s, with 雷同检查 "
        f"{figures['on']:.2f} s, ratio {figures['on'] / figures['off']:.2f}× (target ≤ 2×); "
        f"added {figures['on'] - figures['off']:.2f} s; peak memory {figures['off_mib']:.0f} → "
        f"{figures['on_mib']:.0f} MiB",
        flush=True,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="scale to 10× instead of 3×")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument(
        "--quality-people", type=int, default=2000, help="size of the quality check's bureau"
    )
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "selfcheck-bench-sim"
    )
    args = parser.parse_args()
    compileall.compile_dir(str(REPO / "selfcheck"), quiet=1)
    args.data.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as config:
        env = {**os.environ, "SELFCHECK_TODAY": "2009-01-15", "SELFCHECK_CONFIG_DIR": config}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        print(
            f"CPUs: {os.cpu_count()}, {'pinned to CPU 0' if PIN else 'not pinned'}, "
            f"load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        quality(args.data, env, args.quality_people)
        if args.quality_only:
            return
        small = speed(args.data, args.responses, args.rounds, env)
        factor = 10 if args.large else 3
        big = speed(args.data, args.responses * factor, max(1, args.rounds // 2), env)
        if args.large:  # the same quality check at the large size
            quality(args.data, env, round(args.responses * factor * PEOPLE_PER_RESPONSE))
        added_small = small["on"] - small["off"]
        added_big = big["on"] - big["off"]
        print(
            f"scaling ×{factor}: summary time ×{big['off'] / small['off']:.2f}, "
            f"雷同检查's added time ×{added_big / max(added_small, 1e-9):.2f}, "
            f"peak memory ×{big['on_mib'] / small['on_mib']:.2f} (linear would be ×{factor})",
            flush=True,
        )


if __name__ == "__main__":
    main()
