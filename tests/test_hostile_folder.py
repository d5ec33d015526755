"""A summary folder collected from many people: pipes, links, loops, huge and unreadable files.

Every test that could hang on a broken implementation runs the work in a
thread with a deadline (no pytest-timeout needed) and unblocks it afterwards.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from selfcheck import folder
from selfcheck.errors import IS_A_FOLDER
from selfcheck.folder import (
    MAX_RESPONSE_BYTES,
    Discovery,
    FolderReadError,
    Skip,
    discover,
    read_limited,
)
from selfcheck.textsafe import display_name

T = TypeVar("T")

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types")
DEADLINE = 10.0


def bounded(work: Callable[[], T], *, fifo: Path | None = None) -> T:
    """``work()`` in a thread; fail (after unblocking a reader of ``fifo``) if it hangs."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    if thread.is_alive():
        if fifo is not None:  # a reader blocked in open() returns once a writer comes
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        thread.join(DEADLINE)
        pytest.fail(f"still running after {DEADLINE} s: blocked")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def write(path: Path, text: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def paths(found: list[tuple[str, str]]) -> list[str]:
    return [path for path, _ in found]


def codes(skips: list[Skip]) -> dict[str, str]:
    """file name (last component) → code."""
    return {Path(s.file).name: s.code for s in skips}


def no_english(reason: str) -> bool:
    """Chinese only, apart from an errno name such as ``ESTALE`` and sizes (``MB``, ``KB``)."""
    words = "".join(c if c.isascii() and c.isalpha() else " " for c in reason).split()
    return all(w in ("MB", "KB") or (w.isupper() and w.startswith("E")) for w in words)


# ----------------------------------------------------------------- pipes


@posix_only
def test_a_fifo_named_json_neither_blocks_nor_is_read(tmp_path: Path) -> None:
    write(tmp_path / "a.json")
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)

    found, ignored, skipped = bounded(lambda: discover([tmp_path]), fifo=fifo)

    assert paths(found) == [str(tmp_path / "a.json")]
    assert ignored == 0
    assert skipped == [Skip(str(fifo), "not_regular", "不是普通文件（如管道、设备），未读取")]
    with pytest.raises(FolderReadError) as caught:
        bounded(lambda: read_limited(str(fifo)), fifo=fifo)
    assert caught.value.code == "not_regular"
    assert caught.value.reason == "不是普通文件（如管道、设备），未读取"


@posix_only
def test_a_fifo_named_on_the_command_line_is_skipped_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "given.json"
    os.mkfifo(fifo)
    discovery = Discovery([fifo])

    assert bounded(lambda: list(discovery), fifo=fifo) == []
    assert [s.code for s in discovery.skipped] == ["not_regular"]
    assert discovery.missing == []
    assert not discovery.at_least(1)


@posix_only
def test_a_socket_named_json_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError as exc:  # path too long for AF_UNIX on some systems
        server.close()
        pytest.skip(f"cannot bind a socket here: {exc}")
    try:
        found, _, skipped = bounded(lambda: discover([tmp_path]))
        assert found == []
        assert codes(skipped) == {"s.json": "not_regular"}
        with pytest.raises(FolderReadError) as caught:
            bounded(lambda: read_limited(str(path)))
        assert caught.value.code == "not_regular"
    finally:
        server.close()


@posix_only
def test_a_device_in_the_folder_is_skipped(tmp_path: Path) -> None:
    device = tmp_path / "dev.json"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    found, _, skipped = bounded(lambda: discover([tmp_path]))
    assert found == []
    assert codes(skipped) == {"dev.json": "not_regular"}
    with pytest.raises(FolderReadError) as caught:
        bounded(lambda: read_limited(str(device)))
    assert caught.value.code == "not_regular"


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_a_device_named_on_the_command_line_is_skipped_not_read() -> None:
    discovery = Discovery([Path("/dev/null")])
    assert bounded(lambda: list(discovery)) == []
    assert discovery.skipped == [Skip("/dev/null", "not_regular", folder.NOT_REGULAR_REASON)]
    with pytest.raises(FolderReadError) as caught:
        read_limited("/dev/null")
    assert caught.value.code == "not_regular"


# ----------------------------------------------------------------- links


@posix_only
def test_a_symlink_loop_is_not_walked(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "a.json")
    (tmp_path / "sub" / "up").symlink_to("..")  # back to the top: a loop
    (tmp_path / "self.json").symlink_to("self.json")  # a link to itself

    found, _, skipped = bounded(lambda: discover([tmp_path]))

    assert paths(found) == [str(tmp_path / "sub" / "a.json")]
    assert codes(skipped) == {"self.json": "symlink", "up": "symlink"}
    with pytest.raises(FolderReadError) as caught:
        read_limited(str(tmp_path / "self.json"))
    assert caught.value.code == "symlink"
    assert no_english(caught.value.reason)


@posix_only
def test_symlinks_out_of_the_folder_are_listed_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    secret = write(outside / "secret.json", '{"secret": 1}')
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.json").symlink_to(secret)
    (inbox / "elsewhere").symlink_to(outside, target_is_directory=True)

    found, ignored, skipped = bounded(lambda: discover([inbox]))

    assert found == []
    assert ignored == 0
    assert sorted(skipped, key=lambda s: s.file) == [
        Skip(str(inbox / "elsewhere"), "symlink", folder.SYMLINK_FOLDER_REASON),
        Skip(str(inbox / "link.json"), "symlink", "是符号链接，未跟随（为安全起见不读取链接）"),
    ]
    with pytest.raises(FolderReadError) as caught:
        read_limited(str(inbox / "link.json"))  # O_NOFOLLOW, should a reader get there
    assert caught.value.code == "symlink"
    assert read_limited(str(inbox / "link.json"), follow_symlinks=True) == b'{"secret": 1}'


@posix_only
def test_a_symlink_to_a_file_inside_is_skipped_too(tmp_path: Path) -> None:
    write(tmp_path / "real.json")
    (tmp_path / "alias.json").symlink_to("real.json")

    found, _, skipped = discover([tmp_path])

    assert paths(found) == [str(tmp_path / "real.json")]
    assert skipped == [Skip(str(tmp_path / "alias.json"), "symlink", folder.SYMLINK_REASON)]


@posix_only
def test_a_symlink_named_on_the_command_line_is_followed(tmp_path: Path) -> None:
    target = write(tmp_path / "store" / "张三.json", '{"ok": true}')
    given = tmp_path / "given.json"
    given.symlink_to(target)
    linked_folder = tmp_path / "linked"
    linked_folder.symlink_to(tmp_path / "store", target_is_directory=True)

    found, _, skipped = discover([given, linked_folder])

    assert skipped == []
    (path, display), (inner, _) = found
    assert display == str(given)
    assert read_limited(path) == b'{"ok": true}'  # the resolved path reads with O_NOFOLLOW
    assert inner == str(linked_folder / "张三.json")
    assert read_limited(inner) == b'{"ok": true}'


@posix_only
def test_a_dangling_symlink_on_the_command_line_is_missing(tmp_path: Path) -> None:
    given = tmp_path / "gone.json"
    given.symlink_to(tmp_path / "nowhere.json")
    found, _, skips = discover([given, tmp_path / "nope"])
    assert found == []
    assert [(Path(s.file).name, s.code) for s in skips] == [
        ("gone.json", "missing"),
        ("nope", "missing"),
    ]
    assert skips[1].reason == "找不到这个文件或文件夹"


# ----------------------------------------------------------------- folders


def test_a_directory_named_json_is_walked_as_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "y.json" / "inner.json")
    write(tmp_path / "y.json" / "deeper" / "z.json")

    found, ignored, skipped = discover([tmp_path])

    assert paths(found) == [
        str(tmp_path / "y.json" / "inner.json"),
        str(tmp_path / "y.json" / "deeper" / "z.json"),
    ]
    assert (ignored, skipped) == (0, [])
    with pytest.raises(FolderReadError) as caught:
        read_limited(str(tmp_path / "y.json"))
    assert caught.value.code == "not_regular"


def test_hidden_entries_are_skipped_silently(tmp_path: Path) -> None:
    write(tmp_path / "a.json")
    write(tmp_path / ".hidden.json")
    write(tmp_path / ".git" / "inner.json")
    write(tmp_path / ".DS_Store", "")

    discovery = Discovery([tmp_path])
    assert paths(list(discovery)) == [str(tmp_path / "a.json")]
    assert (discovery.ignored, discovery.skipped) == (0, [])


def test_files_come_in_name_order_folder_by_folder(tmp_path: Path) -> None:
    for name in ("b.json", "a.json", "10.json", "2.json", "c.json"):
        write(tmp_path / name)
    write(tmp_path / "b" / "a.json")
    write(tmp_path / "a" / "z.json")
    write(tmp_path / "a" / "aa" / "x.json")

    found = paths(list(Discovery([tmp_path])))

    relative = [os.path.relpath(p, tmp_path).replace(os.sep, "/") for p in found]
    assert relative == [
        "10.json", "2.json", "a.json", "b.json", "c.json",
        "a/z.json", "a/aa/x.json",
        "b/a.json",
    ]  # fmt: skip


def test_other_files_are_counted_as_ignored(tmp_path: Path) -> None:
    write(tmp_path / "a.json")
    write(tmp_path / "张三-对照检查材料.docx", "")
    write(tmp_path / "名单.csv", "")
    write(tmp_path / "README", "")
    write(tmp_path / "sub" / "notes.txt", "")
    write(tmp_path / "sub" / "b.JSON.bak", "")

    discovery = Discovery([tmp_path])
    assert paths(list(discovery)) == [str(tmp_path / "a.json")]
    assert discovery.ignored == 5
    assert discovery.skipped == []


def test_a_file_named_on_the_command_line_is_read_whatever_its_name(tmp_path: Path) -> None:
    given = write(tmp_path / "答卷.txt")
    assert paths(list(Discovery([given]))) == [str(given)]


def test_a_very_deep_folder_does_not_exhaust_the_recursion_limit(tmp_path: Path) -> None:
    depth = sys.getrecursionlimit() + 200
    if len(str(tmp_path)) + 2 * depth > 3500:
        pytest.skip("temporary folder path too long for this depth")
    deep = str(tmp_path)
    for _ in range(depth):  # not Path.mkdir(parents=True): that recurses too
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    with open(os.path.join(deep, "bottom.json"), "w", encoding="utf-8") as handle:
        handle.write("{}")

    try:
        discovery = Discovery([tmp_path])
        assert paths(list(discovery)) == [os.path.join(deep, "bottom.json")]
        assert discovery.at_least(1)
    finally:
        # pytest's own clean-up of old temporary folders recurses: remove it bottom-up.
        os.remove(os.path.join(deep, "bottom.json"))
        while deep != str(tmp_path):
            os.rmdir(deep)
            deep = os.path.dirname(deep)


@posix_only
def test_at_least_counts_what_a_walk_yields(tmp_path: Path) -> None:
    write(tmp_path / "a.json")
    write(tmp_path / "sub" / "b.json")
    (tmp_path / "link.json").symlink_to("a.json")
    (tmp_path / "loop").symlink_to(".")
    os.mkfifo(tmp_path / "x.json")
    discovery = Discovery([tmp_path])

    assert len(list(discovery)) == 2
    assert bounded(lambda: discovery.at_least(2))
    assert not bounded(lambda: discovery.at_least(3))


def test_walk_results_are_fresh_on_every_walk(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "")
    discovery = Discovery([tmp_path, tmp_path / "nope"])
    list(discovery)
    list(discovery)
    assert discovery.ignored == 1
    assert len(discovery.missing) == 1


def test_an_unopenable_folder_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a.json")
    locked = tmp_path / "locked"
    write(locked / "b.json")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if path == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, _, skipped = discover([tmp_path])

    assert paths(found) == [str(tmp_path / "a.json")]
    assert skipped == [Skip(str(locked), "unreadable", "文件夹无法读取：没有读取权限")]


# ----------------------------------------------------------------- reading


def test_read_limited_reads_small_and_multi_chunk_files(tmp_path: Path) -> None:
    small = write(tmp_path / "small.json", '{"名": "张三"}')
    assert read_limited(str(small)) == '{"名": "张三"}'.encode()
    big = tmp_path / "big.json"
    data = os.urandom(3 * (1 << 20) + 12345)  # over the 64 KiB first read and 1 MiB chunks
    big.write_bytes(data)
    assert read_limited(str(big)) == data
    empty = write(tmp_path / "empty.json", "")
    assert read_limited(str(empty)) == b""


def test_limit_is_inclusive(tmp_path: Path) -> None:
    exact = tmp_path / "exact.json"
    exact.write_bytes(b"x" * 100)
    assert read_limited(str(exact), 100) == b"x" * 100
    with pytest.raises(FolderReadError) as caught:
        read_limited(str(exact), 99)
    assert caught.value.code == "too_large"
    assert caught.value.reason == "文件过大（100 字节，上限 99 字节）"


def test_a_huge_sparse_file_is_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(9 * 1024 * 1024)  # sparse: no disk used
    real_read = os.read
    read: list[int] = []

    def counting_read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "read", counting_read)
    assert MAX_RESPONSE_BYTES == 8 * 1024 * 1024
    with pytest.raises(FolderReadError) as caught:
        read_limited(str(huge))
    assert caught.value.code == "too_large"
    assert caught.value.reason == "文件过大（9 MB，上限 8 MB）"
    assert read == []
    assert [p for p, _ in discover([tmp_path])[0]] == [str(huge)]  # discovery does not stat


def test_a_growing_file_is_read_no_further_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``fstat`` said small, the file is not: at most limit + 1 bytes are read."""
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * (1 << 20))
    real_fstat, real_read = os.fstat, os.read
    read: list[int] = []

    def shrunk_fstat(fd: int) -> os.stat_result:
        fields = list(real_fstat(fd))
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    def counting_read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "fstat", shrunk_fstat)
    monkeypatch.setattr(os, "read", counting_read)
    for limit in (1000, 100_000):
        read.clear()
        with pytest.raises(FolderReadError) as caught:
            read_limited(str(path), limit)
        assert caught.value.code == "too_large"
        assert sum(read) == limit + 1


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_an_unreadable_file_says_so_in_chinese(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads anything; see the monkeypatched test below")
    path = write(tmp_path / "locked.json")
    path.chmod(0)
    try:
        with pytest.raises(FolderReadError) as caught:
            read_limited(str(path))
    finally:
        path.chmod(0o600)
    assert (caught.value.code, caught.value.reason) == ("unreadable", "无法读取：没有读取权限")


NO_PERMISSION = "无法读取：没有读取权限"


@pytest.mark.parametrize(
    ("error", "code", "reason"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "unreadable", NO_PERMISSION),
        (PermissionError(errno.EPERM, "Operation not permitted"), "unreadable", NO_PERMISSION),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "not_regular", IS_A_FOLDER),
        (OSError(errno.ELOOP, "Too many symbolic links"), "symlink", folder.SYMLINK_REASON),
        (OSError(errno.ESTALE, "Stale file handle"), "unreadable", "无法读取（ESTALE）"),
        (OSError(errno.EIO, "Input/output error"), "unreadable", "无法读取：磁盘读写错误"),
    ],
)
def test_os_errors_are_translated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, code: str, reason: str
) -> None:
    """Root-proof: ``os.open`` itself is made to fail."""
    target = str(write(tmp_path / "a.json"))
    real_open = os.open

    def failing_open(path: str, flags: int, *args: int) -> int:
        if path == target:
            raise error
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", failing_open)
    with pytest.raises(FolderReadError) as caught:
        read_limited(target)
    assert (caught.value.code, caught.value.reason) == (code, reason)
    assert no_english(caught.value.reason)
    assert caught.value.skip("a.json") == Skip("a.json", code, reason)


def test_a_read_error_after_opening_is_translated_and_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = str(write(tmp_path / "a.json"))
    closed: list[int] = []
    real_close = os.close

    def failing_read(fd: int, n: int) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    def tracking_close(fd: int) -> None:
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(os, "read", failing_read)
    monkeypatch.setattr(os, "close", tracking_close)
    with pytest.raises(FolderReadError) as caught:
        read_limited(target)
    assert caught.value.reason == "无法读取：磁盘读写错误"
    assert len(closed) == 1


# ----------------------------------------------------------------- names


def test_display_name_removes_controls_and_bidi_overrides() -> None:
    assert display_name("答卷/张三.json") == "答卷/张三.json"
    assert display_name("a\x1b[31m\u202egpj.exe\x07.json") == "agpj.exe.json"
    assert display_name("x\u2066y\u2069\u200f.json") == "xy.json"


def test_skip_json_shape() -> None:
    assert Skip("a.json", "symlink", "理由").to_json() == {
        "file": "a.json",
        "code": "symlink",
        "reason": "理由",
    }


@posix_only
def test_skipped_file_names_are_displayed_clean(tmp_path: Path) -> None:
    (tmp_path / "x\x1b[2J\u202e.json").symlink_to("nowhere")
    _, _, skipped = discover([tmp_path])
    assert [s.file for s in skipped] == [str(tmp_path / "x.json")]


def test_a_vanished_file_keeps_its_errno(tmp_path: Path) -> None:
    """A file gone between the walk and the read: callers can tell it by ``errno``."""
    with pytest.raises(FolderReadError) as caught:
        read_limited(str(tmp_path / "gone.json"))
    assert caught.value.errno == errno.ENOENT
    assert caught.value.code == "unreadable"
    assert no_english(caught.value.reason)


@posix_only
def test_a_looping_symlink_on_the_command_line_is_skipped(tmp_path: Path) -> None:
    given = tmp_path / "loop.json"
    given.symlink_to(given)
    found, _, skips = bounded(lambda: discover([given]))
    assert found == []
    assert skips == [Skip(str(given), "symlink", "是循环的符号链接，无法跟随")]


# ------------------------------------------- files named on the command line


NAMED_INPUTS = [
    # (how the pipe is given, what the message calls it)
    (["checklist", "validate", "{pipe}"], "无法读取"),
    (["run", "--answers", "{pipe}", "--no-input"], "无法读取答案文件"),
    (["summary", "{folder}", "--roster", "{pipe}"], "无法读取名单文件"),
    (["summary", "{folder}", "--stock-phrases", "{pipe}"], "无法读取"),
    (["summary", "{folder}", "--format", "report", "--template", "{pipe}"], "无法读取模板文件"),
    (["report", "{response}", "--template", "{pipe}"], "无法读取模板文件"),
    (["report", "{pipe}"], "无法读取答卷文件"),
    (["review", "{response}", "--return", "--reason", "late", "--reasons", "{pipe}",
      "--reviewer", "赵委员"], "无法读取"),
    (["rectify", "{response}", "--set", "{item}=整改中", "--evidence", "{pipe}", "--no-input"],
     "佐证材料文件"),
    (["serve", "{folder}", "--roster", "{pipe}"], "无法读取名单文件"),
    (["serve", "{folder}", "--roster", "{pipe}", "--certfile", "{pipe}", "--keyfile", "{pipe}"],
     "无法读取证书文件"),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize(("argv", "says"), NAMED_INPUTS)
def test_a_pipe_named_as_any_input_file_is_refused_at_once(
    tmp_path: Path, zuofeng: object, argv: list[str], says: str
) -> None:
    from test_summary_helpers import make_response
    from test_summary_helpers import write as write_response
    from typer.testing import CliRunner

    from selfcheck.cli import app

    item = zuofeng.items_for("staff")[0][1].id  # type: ignore[attr-defined]
    response = write_response(tmp_path / "答卷", "张三.json", make_response(
        zuofeng, name="张三", unit="办公室", role="staff", ratings={item: "some"},
        problems={item: {"problem": "调研不深", "measure": "每周下基层", "deadline": "2009-03-01"}},
    ))
    pipe = tmp_path / "管道.yaml"
    os.mkfifo(pipe)
    values = {"pipe": str(pipe), "folder": str(tmp_path / "答卷"), "response": str(response),
              "item": item}
    before = response.read_bytes()
    result = bounded(
        lambda: CliRunner().invoke(app, [a.format(**values) for a in argv]), fifo=pipe
    )
    assert result.exit_code == 1, result.output
    said = result.output  # validate reports on stdout, the rest on stderr
    assert says in said and "管道.yaml" in said
    assert "不是普通文件（如管道、设备）" in said
    assert "Traceback" not in said and "内部错误" not in said
    assert response.read_bytes() == before


@posix_only
@pytest.mark.parametrize("fmt", ["table", "md"])
def test_the_skipped_files_categories_are_named_in_chinese(tmp_path: Path, fmt: str) -> None:
    """The 分类 line under 未计入的文件 names each kind of entry in Chinese, the
    folder's own kinds (link, pipe, huge file) as well as the summary's."""
    from typer.testing import CliRunner

    from selfcheck.cli import app

    inbox = tmp_path / "inbox"
    write(inbox / "broken.json", "{")
    os.mkfifo(inbox / "fifo.json")
    (inbox / "link.json").symlink_to(write(tmp_path / "elsewhere.json"))
    with open(inbox / "huge.json", "wb") as handle:
        handle.truncate(MAX_RESPONSE_BYTES + 1)
    out = tmp_path / f"s.{fmt}"
    argv = ["summary", str(inbox), "--no-similarity", "--format", fmt]
    result = bounded(lambda: CliRunner().invoke(app, [*argv, "-o", str(out)]))
    assert result.exit_code == 0, result.output
    line = next(x for x in out.read_text(encoding="utf-8").splitlines() if "不是 JSON" in x)
    for title in ("不是 JSON", "不是普通文件", "符号链接", "文件过大"):
        assert title in line, line
    assert no_english(line.replace("JSON", "")), line  # no code such as not_regular
