"""The command line: parse options, call one library function, nothing else.

Heavy libraries (pydantic, jinja2, yaml, docx, openpyxl) are imported inside
the commands so that ``selfcheck --help`` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from selfcheck import __version__

_FRAMEWORK_HELP = {
    "--help": "显示本帮助并退出。",
    "--install-completion": "为当前 Shell 安装命令自动补全。",
    "--show-completion": "显示当前 Shell 的自动补全脚本，可复制后自行安装。",
}


class _ChineseFrameworkHelp:
    """Chinese help for the options Typer adds by itself (--help, completion)."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            for name in getattr(param, "opts", ()):
                if name in _FRAMEWORK_HELP:
                    param.help = _FRAMEWORK_HELP[name]
        return params


class _Command(_ChineseFrameworkHelp, TyperCommand):
    """Every selfcheck command."""


class _ErrorHandlingGroup(_ChineseFrameworkHelp, TyperGroup):
    """The one place where SelfcheckError becomes a message on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _print_error("已中断。")
            raise typer.Exit(130) from None
        except Exception as exc:
            from selfcheck.errors import SelfcheckError

            if _is_cli_framework_exception(exc):
                raise  # Exit, Abort, usage errors: Typer/Click report these themselves

            if isinstance(exc, SelfcheckError):
                _print_error(exc.render())
                raise typer.Exit(exc.exit_code) from None
            if os.environ.get("SELFCHECK_DEBUG"):
                raise
            _print_error(
                f"内部错误：{type(exc).__name__}: {exc}\n"
                "这是程序的问题，不是您的操作问题。请设置 SELFCHECK_DEBUG=1 重试并报告给维护人员。"
            )
            raise typer.Exit(2) from None


def _is_cli_framework_exception(exc: BaseException) -> bool:
    """Typer may vendor Click (typer._click) or depend on it (click): match both."""
    module = type(exc).__module__
    return module.startswith(("click", "typer"))


def _print_error(text: str) -> None:
    from selfcheck.console import make_console

    make_console(stderr=True).print(text, style="red", soft_wrap=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"selfcheck {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=_ErrorHandlingGroup,
    help="机关作风建设对照检查工具：填写个人对照检查、生成对照检查材料、汇总查摆问题和整改台账。",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
checklist_app = typer.Typer(
    cls=_ErrorHandlingGroup,
    help="检查表（YAML）的查看、校验与编写。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(checklist_app, name="checklist")


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="显示版本号并退出。"
    ),
) -> None:
    """机关作风建设对照检查工具。"""


def _console() -> Any:
    from selfcheck.console import make_console

    return make_console()


DirOption = typer.Option(None, "--dir", metavar="DIR", help="额外的检查表目录（可重复）。")


# ------------------------------------------------------------------ checklist


@checklist_app.command("list", cls=_Command)
def checklist_list(dirs: list[Path] | None = DirOption) -> None:
    """列出可用的检查表：内置、./checklists、--dir 和 SELFCHECK_PATH 中的。"""
    from selfcheck.checklist.commands import list_command

    list_command(dirs or [], _console())


@checklist_app.command("show", cls=_Command)
def checklist_show(
    ref: str = typer.Argument(..., help="检查表标识或文件路径。"),
    as_json: bool = typer.Option(False, "--json", help="输出展开后的检查表 JSON。"),
    dirs: list[Path] | None = DirOption,
) -> None:
    """以树形显示检查表（--json 输出展开后的 JSON）。"""
    from selfcheck.checklist.commands import show_command

    show_command(ref, dirs or [], as_json, _console())


@checklist_app.command("validate", cls=_Command)
def checklist_validate(
    paths: list[Path] = typer.Argument(..., help="要校验的检查表文件。"),
) -> None:
    """校验检查表文件，逐条列出所有错误（文件:行:列: 字段: 说明）。"""
    from selfcheck.checklist.commands import validate_command

    raise typer.Exit(validate_command(paths, _console()))


@checklist_app.command("schema", cls=_Command)
def checklist_schema(
    output: Path | None = typer.Option(None, "-o", "--output", help="写入文件（默认输出到屏幕）。"),
) -> None:
    """导出检查表格式的 JSON Schema，供 VS Code 等编辑器校验和补全。"""
    from selfcheck.checklist.commands import schema_command

    schema_command(output, _console())


@checklist_app.command("template", cls=_Command)
def checklist_template(
    ref: str = typer.Argument(..., help="检查表标识或文件路径。"),
    output: Path | None = typer.Option(None, "-o", "--output", help="写入文件（默认输出到屏幕）。"),
    role: str | None = typer.Option(None, "--role", help="只包含该角色要填写的章节，如 staff。"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件。"),
    dirs: list[Path] | None = DirOption,
) -> None:
    """生成可填写的答案文件（YAML），供 selfcheck run --answers 使用。"""
    from selfcheck.checklist.commands import template_command

    template_command(ref, dirs or [], output, _console(), role=role, force=force)


@checklist_app.command("new", cls=_Command)
def checklist_new(path: Path = typer.Argument(..., help="新检查表文件的路径。")) -> None:
    """生成一个带注释的示例检查表。"""
    from selfcheck.checklist.commands import new_command

    new_command(path, _console())


@checklist_app.command("diff", cls=_Command)
def checklist_diff(
    old: str = typer.Argument(..., help="旧版检查表（标识或路径）。"),
    new: str = typer.Argument(..., help="新版检查表（标识或路径）。"),
    dirs: list[Path] | None = DirOption,
) -> None:
    """比较两版检查表：新增、删除、改写的检查项和问题，以及对已有答卷的影响。"""
    from selfcheck.checklist.commands import diff_command

    diff_command(old, new, dirs or [], _console())


# ------------------------------------------------------------------------ run


@app.command("run", cls=_Command)
def run(
    checklist: str | None = typer.Option(
        None, "--checklist", "-c", help="检查表标识或路径（默认内置检查表）。"
    ),
    out: Path | None = typer.Option(
        None, "--out", help="答卷和报告的保存目录（默认当前目录或配置的目录）。"
    ),
    answers: Path | None = typer.Option(None, "--answers", help="预填答案文件（YAML 或 JSON）。"),
    no_input: bool = typer.Option(False, "--no-input", help="不提问：只用 --answers 中的答案。"),
    resume: bool | None = typer.Option(
        None, "--resume/--restart", help="继续上次的草稿 / 重新开始。"
    ),
    formats: str = typer.Option(
        "md,html,docx", "--format", help="提交后生成的报告格式，逗号分隔；none 表示不生成。"
    ),
    dirs: list[Path] | None = DirOption,
    name: str | None = typer.Option(
        None, "--name", help="姓名（不再询问；--no-input 时优先于答案文件）。"
    ),
    unit: str | None = typer.Option(None, "--unit", help="单位。"),
    position: str | None = typer.Option(None, "--position", help="职务。"),
    role: str | None = typer.Option(
        None, "--role", help="身份：检查表中的角色标识或名称，如 staff 或 一般干部。"
    ),
) -> None:
    """逐项填写对照检查，自动保存草稿，提交后生成个人对照检查材料。

    每答一题自动保存草稿；Ctrl-C 或输入 q 保存并退出，再次运行即可继续。
    """
    from selfcheck.run.command import RunOptions, run_command

    options = RunOptions(
        checklist=checklist,
        out=out,
        answers=answers,
        no_input=no_input,
        resume=resume,
        formats=formats,
        dirs=dirs or [],
        name=name,
        unit=unit,
        position=position,
        role=role,
    )
    raise typer.Exit(run_command(options, _console()))


# --------------------------------------------------------------------- report


@app.command("report", cls=_Command)
def report(
    response: Path = typer.Argument(..., help="答卷文件（.json）。"),
    formats: list[str] | None = typer.Option(
        None, "--format", "-f", help="md、html 或 docx（可重复；默认三种）。"
    ),
    template: Path | None = typer.Option(
        None, "--template", help="自定义 Jinja 模板（在沙箱中渲染）。"
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="输出文件或目录。"),
    hanzi_date: bool = typer.Option(
        False, "--hanzi-date", help="落款日期用汉字（二〇〇八年十二月一日）。"
    ),
    checklist: str | None = typer.Option(
        None, "--checklist", "-c", help="检查表标识或路径（默认按答卷记录查找）。"
    ),
    dirs: list[Path] | None = DirOption,
) -> None:
    """由答卷生成个人对照检查材料（Markdown、HTML、Word）。"""
    from selfcheck.report.api import report_command

    report_command(
        response,
        formats=formats or [],
        template=template,
        output=output,
        hanzi_date=hanzi_date,
        checklist_ref=checklist,
        dirs=dirs or [],
        console=_console(),
    )


# -------------------------------------------------------------------- summary


@app.command("summary", cls=_Command)
def summary(
    paths: list[Path] = typer.Argument(..., help="答卷文件或文件夹（递归查找）。"),
    roster: Path | None = typer.Option(None, "--roster", help="应参加人员名单（CSV 或 XLSX）。"),
    checklist: str | None = typer.Option(
        None, "--checklist", "-c", help="检查表标识或路径（默认内置检查表）。"
    ),
    unit: str | None = typer.Option(None, "--unit", help="只统计该单位。"),
    role: str | None = typer.Option(None, "--role", help="只统计该角色。"),
    anonymize: bool = typer.Option(False, "--anonymize", help="用编号代替姓名。"),
    fmt: str = typer.Option("table", "--format", help="table、md、html、xlsx、csv 或 json。"),
    output: Path | None = typer.Option(None, "-o", "--output", help="输出文件。"),
    dirs: list[Path] | None = DirOption,
) -> None:
    """汇总一批答卷：参与情况、问题统计、整改台账、图表。"""
    from selfcheck.summary.api import lazy_console, summary_command

    summary_command(
        paths,
        roster=roster,
        checklist_ref=checklist,
        unit=unit,
        role=role,
        anonymize=anonymize,
        fmt=fmt,
        output=output,
        dirs=dirs or [],
        console=lazy_console(_console),
    )


@app.command("rollup", cls=_Command)
def rollup(
    summaries: list[Path] = typer.Argument(
        ..., help="各单位的汇总 JSON（summary --format json 生成）。"
    ),
    fmt: str = typer.Option("table", "--format", help="table、md、html、xlsx、csv 或 json。"),
    output: Path | None = typer.Option(None, "-o", "--output", help="输出文件。"),
) -> None:
    """把各单位的汇总合并为上级汇总。"""
    from selfcheck.summary.api import lazy_console, rollup_command

    rollup_command(summaries, fmt=fmt, output=output, console=lazy_console(_console))


@app.command("demo", cls=_Command)
def demo(
    folder: Path = typer.Argument(..., help="写入演示数据的文件夹。"),
    people: int = typer.Option(60, "--people", min=1, help="人数。"),
    seed: int = typer.Option(2008, "--seed", help="随机种子（相同种子生成相同数据）。"),
) -> None:
    """生成一个演示用的单位：名单和答卷（含草稿、未提交、各类问题）。"""
    from selfcheck.summary.demo import demo_command

    demo_command(folder, people=people, seed=seed, console=_console())


@app.command("rectify", cls=_Command)
def rectify(
    response: Path = typer.Argument(..., help="已提交的答卷文件（.json）。"),
    no_input: bool = typer.Option(
        False, "--no-input", help="不提问：只用 --set；没有 --set 时只列出整改措施。"
    ),
    sets: list[str] | None = typer.Option(
        None,
        "--set",
        metavar="ITEM=STATUS[:NOTE]",
        help="检查项=状态[:说明]，如 work-2=已完成:已建立台账（可重复）。",
    ),
    on: str | None = typer.Option(
        None, "--date", metavar="DATE", help="进展日期（默认今天，不能晚于今天）。"
    ),
    history: bool = typer.Option(False, "--history", help="同时列出每项措施的全部进展记录。"),
    checklist: str | None = typer.Option(
        None, "--checklist", "-c", help="检查表标识或路径（默认按答卷记录查找）。"
    ),
    dirs: list[Path] | None = DirOption,
) -> None:
    """记录整改进展：未开始、整改中、已完成、长期坚持（历史记录保留在答卷中）。

    \b
    selfcheck rectify 答卷.json                     逐项询问
    selfcheck rectify 答卷.json --no-input          只列出措施和状态
    selfcheck rectify 答卷.json --set work-2=已完成:台账已建立 --date 2009-03-20
    """
    from selfcheck.rectify.command import rectify_command

    raise typer.Exit(
        rectify_command(
            response,
            no_input=no_input,
            sets=sets or [],
            on=on,
            console=_console(),
            checklist_ref=checklist,
            dirs=dirs or [],
            history=history,
        )
    )


def main() -> None:
    """Console-script entry point."""
    app(prog_name="selfcheck")


if __name__ == "__main__":  # pragma: no cover
    main()
