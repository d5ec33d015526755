"""``selfcheck serve``: save latency with 300 cadres saving at once, and page sizes.

    python bench/bench_serve.py [--seconds 60] [--cadres 300] [--pause 2 1]

Starts ``selfcheck serve`` on loopback with a roster of N leaders, logs every
cadre in over his own keep-alive connection, then all save for SECONDS: each
save is the page script's ``POST /form/save`` of one item (a problem text on
odd items), each cadre pausing about PAUSE s between saves, as while typing.
One run per PAUSE (default 2 s and 1 s); a last, shorter run with no pause
shows the server saturated. Prints p50,
p99 and max save latency beside the target (p99 ≤ 50 ms), then the size of
every page kind beside its limit (100 KB).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_load import Connection, login, percentile, run_load

TARGET_P99_MS = 50.0
PAGE_LIMIT = 100 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(folder: Path, roster: Path, links: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "selfcheck",
            "serve",
            str(folder),
            "--roster",
            str(roster),
            "--links",
            str(links),
            "--port",
            str(port),
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start:\n" + log.read_text(errors="replace"))


def read_links(path: Path) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return {row["姓名"]: row["链接"] for row in rows}


def report(label: str, cadres: list, seconds: float) -> None:  # type: ignore[type-arg]
    latencies = [x * 1000 for c in cadres for x in c.latencies]
    errors = sum(len(c.errors) for c in cadres)
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    worst = max(latencies) if latencies else float("nan")
    print(
        f"{label:<34} saves {len(latencies):>6}  ({len(latencies) / seconds:6.1f}/s)  "
        f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  max {worst:6.1f} ms  "
        f"p99/target {p99 / TARGET_P99_MS:4.2f}  errors {errors}"
    )


async def page_sizes(links: dict[str, str], port: int) -> list[tuple[str, int]]:
    """Sizes of a leader's pages after a full walk, and the admin page."""
    from serve_load import Cadre, answer_for

    name, link = next(iter(links.items()))
    cadre = Cadre(name, link)
    conn = Connection("127.0.0.1", port)
    await login(cadre, conn)
    from urllib.parse import urlencode

    for item in range(1, 16):
        data = {"csrf": cadre.csrf, "base": cadre.base, "item": str(item), "go": "stay"}
        data.update(answer_for(item, item))
        headers = {"Cookie": cadre.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        import json

        _, _, reply = await conn.request("POST", "/form/save", headers, urlencode(data).encode())
        cadre.base = json.loads(reply)["base"]
    sizes = []
    for label, path in (
        ("题目页（第 1 项，含追问）", "/form/item/1"),
        ("题目页（第 2 项）", "/form/item/2"),
        ("核对页（15 项已填）", "/form/review"),
        ("serve.css", "/static/serve.css"),
        ("serve.js", "/static/serve.js"),
    ):
        _, _, body = await conn.request("GET", path, {"Cookie": cadre.cookie})
        sizes.append((label, len(body)))
    conn.close()
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cadres", type=int, default=300)
    parser.add_argument(
        "--pause",
        type=float,
        nargs="+",
        default=[2.0, 1.0],
        help="seconds between one cadre's saves (one run each)",
    )
    args = parser.parse_args()
    os.environ.setdefault("SELFCHECK_TODAY", "2009-01-15")
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
        root = Path(scratch)
        roster = root / "名单.csv"
        rows = ["姓名,单位,职务,类别"] + [
            f"干部{n:03d},第{n % 7}科,科长,领导干部" for n in range(args.cadres)
        ]
        roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
        links_file = root / "链接.csv"
        port = free_port()
        server = start(root / "答卷", roster, links_file, port, root / "server.log")
        try:
            links = read_links(links_file)
            print(f"selfcheck serve, {args.cadres} cadres on loopback, {os.cpu_count()} CPUs")
            for number, pause in enumerate(args.pause):
                paced = asyncio.run(
                    run_load(
                        links,
                        "127.0.0.1",
                        port,
                        args.seconds,
                        pause,
                        seed=number,
                        first_seq=number * 10**5,
                    )
                )
                report(
                    f"{args.cadres} saving, ~{pause:g} s apart, {args.seconds:g} s",
                    paced,
                    args.seconds,
                )
            burst_seconds = min(10.0, args.seconds)
            burst = asyncio.run(
                run_load(links, "127.0.0.1", port, burst_seconds, 0.0, seed=7, first_seq=10**6)
            )
            report(f"{args.cadres} saving back to back, {burst_seconds:g} s", burst, burst_seconds)
            print()
            for label, size in asyncio.run(page_sizes(links, port)):
                print(
                    f"{label:<30} {size / 1024:7.1f} KB   limit {PAGE_LIMIT // 1024} KB   "
                    f"ratio {size / PAGE_LIMIT:4.2f}"
                )
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(20)


if __name__ == "__main__":
    main()
