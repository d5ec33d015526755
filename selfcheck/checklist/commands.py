"""Library functions behind ``selfcheck checklist ...`` (one per command)."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck import rules
from selfcheck.checklist.loader import validate_checklist_file
from selfcheck.checklist.registry import (
    DEFAULT_CHECKLIST,
    find_checklist_path,
    list_checklists,
    looks_like_path,
)
from selfcheck.errors import ChecklistError, ChecklistNotFound, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.checklist.model import Checklist


def _display(path: Path) -> str:
    """A path as the user would like to read it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _check_dirs(dirs: list[Path]) -> None:
    for folder in dirs:
        if not folder.is_dir():
            raise UsageError(f"找不到检查表目录：{folder}（--dir 应指向一个文件夹）")


def _load(ref: str, dirs: list[Path]) -> tuple[Checklist, Path]:
    """Resolve an id or path and load it; errors name the file as the user wrote it.

    Warnings (a GBK file, an unused question set) go to stderr, so they never
    mix with JSON or YAML printed on stdout.
    """
    from selfcheck.console import make_console
    from selfcheck.textsafe import clean_text

    _check_dirs(dirs)
    path = find_checklist_path(ref, dirs)
    display = ref if looks_like_path(ref) else _display(path)
    report = validate_checklist_file(path, display)
    if report.checklist is None or report.problems:
        raise ChecklistError(f"检查表有错误：{report.file}", report.problems)
    if report.warnings:
        errors = make_console(stderr=True)
        for warning in report.warnings:
            errors.print(clean_text(warning.format()), style="yellow", soft_wrap=True)
    return report.checklist, path


def _write_out(console: Console, text: str) -> None:
    """Print machine-readable text exactly (no wrapping, no styling; UTF-8 on any console)."""
    from selfcheck.console import write_document

    write_document(console.file, text)


# --------------------------------------------------------------------- list


def list_command(dirs: list[Path], console: Console) -> None:
    """Print every checklist found: id, version, title, item count, source path."""
    from rich.table import Table
    from rich.text import Text

    from selfcheck.textsafe import clean_text

    _check_dirs(dirs)
    infos = list_checklists(dirs)
    if not infos:
        console.print("没有找到检查表。", soft_wrap=True)
        return
    table = Table(title="可用的检查表", show_lines=False, expand=False)
    table.add_column("标识", overflow="fold", min_width=6)
    table.add_column("版本", overflow="fold", min_width=4)
    table.add_column("标题", overflow="fold", min_width=6)
    table.add_column("检查项", justify="right", no_wrap=True)
    table.add_column("文件", overflow="fold", min_width=8)
    for info in infos:
        path = _display(info.path)
        if info.error:
            table.add_row(
                info.id,
                "-",
                Text(f"（无法读取：{clean_text(info.error)}）", style="red"),
                "-",
                path,
            )
            continue
        ident = Text(info.id)
        if info.id == DEFAULT_CHECKLIST:
            ident.append("（默认）", style="bold")
        table.add_row(
            ident, clean_text(info.version), clean_text(info.title), str(info.item_count), path
        )
    console.print(table)


# --------------------------------------------------------------------- show


def show_command(ref: str, dirs: list[Path], as_json: bool, console: Console) -> None:
    """Print a checklist as a tree, or (``as_json``) as the resolved JSON."""
    from selfcheck.checklist.render import checklist_to_json, checklist_tree

    checklist, path = _load(ref, dirs)
    if as_json:
        _write_out(console, checklist_to_json(checklist))
        return
    console.print(checklist_tree(checklist))
    console.print(f"文件：{_display(path)}", style="dim", soft_wrap=True)


# ----------------------------------------------------------------- validate


def _expand_paths(paths: list[Path], dirs: list[Path] | None = None) -> list[tuple[Path, str]]:
    """Each argument as (path, name to show).

    Globs are expanded (cmd.exe leaves that to the program) and a bare
    checklist id is resolved to its file.
    """
    out: list[tuple[Path, str]] = []
    for path in paths:
        text = str(path)
        if not path.exists() and any(ch in text for ch in "*?["):
            matches = sorted(glob.glob(text))
            if matches:
                out.extend((Path(m), m) for m in matches)
                continue
        if not path.exists() and not looks_like_path(text):
            try:
                found = find_checklist_path(text, dirs)
            except ChecklistNotFound:
                pass
            else:
                out.append((found, _display(found)))
                continue
        out.append((path, text))
    return out


def validate_command(paths: list[Path], console: Console, *, strict: bool = False) -> int:
    """Validate files; print each problem as ``FILE:LINE:COL: path: message``.

    Returns the exit code: 1 when any file has an error (with ``strict``, or a
    warning: for a checklist kept under version control and checked on every change),
    else 0.
    """
    from selfcheck.textsafe import clean_text

    failed = 0
    targets = _expand_paths(paths)
    for path, name in targets:
        report = validate_checklist_file(path, name)
        for warning in report.warnings:
            console.print(clean_text(warning.format()), style="yellow", soft_wrap=True)
        if report.ok and report.checklist is not None:
            c = report.checklist
            if strict and report.warnings:
                failed += 1
                console.print(
                    f"✗ {name}：{len(report.warnings)} 条警告（--strict 把警告当作错误）",
                    style="red",
                    soft_wrap=True,
                )
                continue
            console.print(
                f"✓ {name}：{c.id} {clean_text(c.version)}，"
                f"{len(c.sections)} 个章节，{c.item_count} 个检查项",
                style="green",
                soft_wrap=True,
            )
            continue
        failed += 1
        for problem in report.problems:
            console.print(clean_text(problem.format()), soft_wrap=True)
        console.print(f"✗ {name}：{len(report.problems)} 处错误", style="red", soft_wrap=True)
    if len(targets) > 1 and failed:
        console.print(
            f"{len(targets)} 个文件中有 {failed} 个未通过校验。", style="red", soft_wrap=True
        )
    return 1 if failed else 0


# ------------------------------------------------------------------- schema


def schema_command(output: Path | None, console: Console) -> None:
    """Print the JSON Schema of the checklist format, or write it to ``output``."""
    from selfcheck.atomicio import write_text_atomic
    from selfcheck.checklist.schema import schema_text

    text = schema_text()
    if output is None:
        _write_out(console, text)
        return
    write_text_atomic(output, text)
    console.print(f"已写入 {output}", soft_wrap=True)
    console.print(
        "在检查表文件第一行写 # yaml-language-server: $schema="
        + output.name
        + "（路径相对于检查表文件），VS Code 的 YAML 插件即可校验和补全。",
        style="dim",
        soft_wrap=True,
    )


# ----------------------------------------------------------------- template


def template_command(
    ref: str,
    dirs: list[Path],
    output: Path | None,
    console: Console,
    *,
    role: str | None = None,
    force: bool = False,
) -> None:
    """Write (or print) a fill-in answers file for a checklist."""
    from selfcheck.atomicio import write_text_atomic
    from selfcheck.checklist.template import answers_template

    checklist, _ = _load(ref, dirs)
    roles = [(r.id, r.label) for r in checklist.roles]
    count = checklist.item_count
    if role is not None:
        named = rules.find_role(role, roles)  # an id or a label, as run and summary take
        if named is None:
            known = rules.role_choices(roles)
            raise UsageError(f"检查表中没有角色“{role}”。可用的角色：{known}")
        role = named
        count = len(checklist.items_for(role))
    source = ref if looks_like_path(ref) else None
    text = answers_template(checklist, role=role, source=source)
    if output is None:
        _write_out(console, text)
        return
    if output.is_dir():
        raise UsageError(
            f"这是一个文件夹：{output}。请给出答案文件的文件名，如 {output / '答案.yaml'}"
        )
    if output.exists() and not force:
        raise UsageError(
            f"文件已存在：{output}。为免覆盖已填写的答案，请换一个文件名，或加 --force 覆盖。"
        )
    write_text_atomic(output, text, private=True)
    console.print(
        f"已写入答案文件 {output}（{checklist.title}，{count} 个检查项）",
        soft_wrap=True,
    )
    console.print(f"填好后运行：selfcheck run --answers {output}", style="dim", soft_wrap=True)


# ---------------------------------------------------------------------- new


def new_command(path: Path, console: Console) -> None:
    """Create a documented example checklist at ``path`` (never overwrites)."""
    from selfcheck.atomicio import write_text_atomic
    from selfcheck.checklist.scaffold import example_checklist
    from selfcheck.checklist.schema import SCHEMA_FILENAME, schema_text
    from selfcheck.clock import today

    if path.is_dir():
        raise UsageError(
            f"这是一个文件夹：{path}。请给出新检查表的文件名，如 {path / 'my-checklist.yaml'}"
        )
    if path.suffix == "":
        path = path.with_suffix(".yaml")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"检查表文件名应以 .yaml 结尾：{path}")
    if path.exists():
        raise UsageError(f"文件已存在：{path}。为免覆盖已有内容，请换一个文件名。")
    text = example_checklist(path.name, path.stem, today().year)
    write_text_atomic(path, text)
    console.print(f"已创建示例检查表 {path}", style="green", soft_wrap=True)
    schema_path = path.parent / SCHEMA_FILENAME
    if not schema_path.exists():
        write_text_atomic(schema_path, schema_text())
        console.print(f"已写入 {schema_path}（VS Code 的 YAML 插件据此校验和补全）", soft_wrap=True)
    console.print(
        f"下一步：修改 {path}，然后运行 selfcheck checklist validate {path} 检查，"
        f"selfcheck checklist show {path} 预览。",
        style="dim",
        soft_wrap=True,
    )


# --------------------------------------------------------------------- diff


def diff_command(old: str, new: str, dirs: list[Path], console: Console) -> None:
    """Print what changed between two checklists and what it means for answers."""
    from selfcheck.checklist.diff import diff_checklists, render_diff

    old_checklist, old_path = _load(old, dirs)
    new_checklist, new_path = _load(new, dirs)
    render_diff(
        diff_checklists(old_checklist, new_checklist),
        console,
        old if looks_like_path(old) else _display(old_path),
        new if looks_like_path(new) else _display(new_path),
    )
