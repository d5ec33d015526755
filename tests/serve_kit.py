"""Helpers shared by the ``selfcheck serve`` tests (not a test module)."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROSTER = (
    "姓名,单位,职务,类别\n"
    "张局长,局办公室,局长,领导干部\n"
    "李四,局办公室,科员,一般干部\n"
    "王五,财务科,科员,\n"
)


def write_roster(folder: Path, text: str = ROSTER) -> Path:
    """A roster CSV in ``folder``."""
    path = folder / "名单.csv"
    path.write_text(text, encoding="utf-8")
    return path


def read_links(path: Path) -> dict[str, str]:
    """姓名 → 链接 from a links CSV."""
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return {row["姓名"]: row["链接"] for row in rows}


def link_path(link: str) -> str:
    """The path part of a link (``/t/TOKEN``)."""
    return "/" + link.split("/", 3)[3]


def hidden(html: str, name: str) -> str:
    """The value of a hidden field of a page."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found.group(1)


def page_fields(html: str) -> dict[str, str]:
    """csrf, base and (on an item page) shown and each answer's version ``h.QUESTION``."""
    found = {}
    for name in ("csrf", "base", "shown"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        if match:
            found[name] = match.group(1)
    found.update(re.findall(r'name="(h\.[^"]+)" value="([^"]*)"', html))
    return found


HIDDEN_FIELD = re.compile(
    r'<div class="field[^"]*" id="q-[^"]*" data-q="[^"]*" hidden>.*?</div>',
    re.S,
)


def visible_part(html: str) -> str:
    """An item page without the follow-up questions it holds hidden."""
    return HIDDEN_FIELD.sub("", html)


def hidden_questions(html: str) -> list[str]:
    """The questions an item page holds hidden (shown by the script when they apply)."""
    return re.findall(r'data-q="([^"]*)" hidden>', html)


def text_of(html: str) -> str:
    """A page's visible text, blanks collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A ``selfcheck serve`` process on loopback."""

    process: subprocess.Popen[bytes]
    port: int
    admin_link: str
    output: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL, as a power cut would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """Ctrl-C."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(folder: Path, roster: Path, links: Path, port: int, log: Path) -> Server:
    """Run ``selfcheck serve`` and wait until it answers."""
    handle = log.open("ab")
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
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "400"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(log.read_text(encoding="utf-8", errors="replace"))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError("server did not start: " + log.read_text(errors="replace"))
    text = log.read_text(encoding="utf-8", errors="replace")
    admin = re.findall(r"http://\S+/a/\S+", text)
    return Server(process, port, admin[-1] if admin else "", log)
