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
from selfcheck.clitext import LocalisedCommand, LocalisedGroup


class _Command(LocalisedCommand, TyperCommand):
    """Every selfcheck command (Chinese help page: selfcheck.clitext)."""


class _ErrorHandlingGroup(LocalisedGroup, TyperGroup):
    """The one place where SelfcheckError becomes a message on stderr and an exit code.

    Usage errors (unknown option, missing argument...) are printed in Chinese by
    :class:`selfcheck.clitext.LocalisedGroup`, with exit code 1.
    """

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
    """Print ``text`` in red on stderr; a message may quote what a user typed or a file
    held, so escape sequences and control characters are removed here, once for all."""
    from rich.text import Text

    from selfcheck.console import make_console
    from selfcheck.textsafe import clean_text
    from selfcheck.wrapping import wrap_text

    console = make_console(stderr=True)
    text = clean_text(text)
    # On a screen, wrapped here between Chinese characters and never inside a word or a
    # command (left to the terminal, "selfcheck run" broke as "selfcheck ru" / "n"); in a
    # pipe or log, one line per line of the message.
    lines = wrap_text(text, console.width) if console.is_terminal else text.split("\n")
    for line in lines:
        console.print(Text(line, style="red"), soft_wrap=True)


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


DirOption = typer.Option(None, "--dir", metavar="目录", help="额外的检查表目录（可重复）。")
AddresseeOption = typer.Option(None, "--addressee", help="报告的主送机关（默认 局党组）。")
SignerOption = typer.Option(None, "--signer", help="报告的落款（默认 局机关党委）。")
ReportTemplateOption = typer.Option(
    None, "--template", help="整改落实情况报告的自定义模板（.html.j2、.md.j2 或 .docx）。"
)
"""The 整改落实情况报告's options, the same on ``summary`` and ``rollup``."""


# ------------------------------------------------------------------ checklist


@checklist_app.command("list", cls=_Command)
def checklist_list(dirs: list[Path] | None = DirOption) -> None:
    """列出可用的检查表：内置、./checklists、--dir 和 SELFCHECK_PATH 中的。"""
    from selfcheck.checklist.commands import list_command

    list_command(dirs or [], _console())


@checklist_app.command("show", cls=_Command)
def checklist_show(
    ref: str = typer.Argument(..., metavar="检查表", help="检查表标识或文件路径。"),
    as_json: bool = typer.Option(False, "--json", help="输出展开后的检查表 JSON。"),
    dirs: list[Path] | None = DirOption,
) -> None:
    """以树形显示检查表（--json 输出展开后的 JSON）。"""
    from selfcheck.checklist.commands import show_command

    show_command(ref, dirs or [], as_json, _console())


@checklist_app.command("validate", cls=_Command)
def checklist_validate(
    paths: list[Path] = typer.Argument(..., metavar="文件", help="要校验的检查表文件。"),
    strict: bool = typer.Option(
        False, "--strict", help="有警告（如永远不会出现的问题）也算未通过，退出码 1。"
    ),
) -> None:
    """校验检查表文件，逐条列出所有错误（文件:行:列: 字段: 说明）。"""
    from selfcheck.checklist.commands import validate_command

    raise typer.Exit(validate_command(paths, _console(), strict=strict))


@checklist_app.command("schema", cls=_Command)
def checklist_schema(
    output: Path | None = typer.Option(None, "-o", "--output", help="写入文件（默认输出到屏幕）。"),
) -> None:
    """导出检查表格式的 JSON Schema，供 VS Code 等编辑器校验和补全。"""
    from selfcheck.checklist.commands import schema_command

    schema_command(output, _console())


@checklist_app.command("template", cls=_Command)
def checklist_template(
    ref: str = typer.Argument(..., metavar="检查表", help="检查表标识或文件路径。"),
    output: Path | None = typer.Option(None, "-o", "--output", help="写入文件（默认输出到屏幕）。"),
    role: str | None = typer.Option(None, "--role", help="只包含该角色要填写的章节，如 staff。"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件。"),
    dirs: list[Path] | None = DirOption,
) -> None:
    """生成可填写的答案文件（YAML），供 selfcheck run --answers 使用。"""
    from selfcheck.checklist.commands import template_command

    template_command(ref, dirs or [], output, _console(), role=role, force=force)


@checklist_app.command("new", cls=_Command)
def checklist_new(
    path: Path = typer.Argument(..., metavar="文件", help="新检查表文件的路径。"),
) -> None:
    """生成一个带注释的示例检查表。"""
    from selfcheck.checklist.commands import new_command

    new_command(path, _console())


@checklist_app.command("diff", cls=_Command)
def checklist_diff(
    old: str = typer.Argument(..., metavar="旧版", help="旧版检查表（标识或路径）。"),
    new: str = typer.Argument(..., metavar="新版", help="新版检查表（标识或路径）。"),
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
    previous: Path | None = typer.Option(
        None, "--previous", help="本人上一轮的答卷（.json）：先说明上一轮查摆问题的整改情况。"
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
        previous=previous,
    )
    raise typer.Exit(run_command(options, _console()))


# --------------------------------------------------------------------- report


@app.command("report", cls=_Command)
def report(
    response: Path = typer.Argument(..., metavar="答卷", help="答卷文件（.json）。"),
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
    paths: list[Path] = typer.Argument(
        ..., metavar="答卷或文件夹", help="答卷文件或文件夹（递归查找）。"
    ),
    roster: Path | None = typer.Option(None, "--roster", help="应参加人员名单（CSV 或 XLSX）。"),
    checklist: str | None = typer.Option(
        None, "--checklist", "-c", help="检查表标识或路径（默认内置检查表）。"
    ),
    unit: str | None = typer.Option(None, "--unit", help="只统计该单位。"),
    role: str | None = typer.Option(None, "--role", help="只统计该角色。"),
    anonymize: bool = typer.Option(False, "--anonymize", help="用编号代替姓名。"),
    fmt: str = typer.Option(
        "table", "--format", help="table、md、html、xlsx、csv、json 或 report（整改落实情况报告）。"
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="输出文件。"),
    dirs: list[Path] | None = DirOption,
    addressee: str | None = AddresseeOption,
    signer: str | None = SignerOption,
    template: Path | None = ReportTemplateOption,
    no_similarity: bool = typer.Option(
        False, "--no-similarity", help="不做雷同检查（默认检查各人文字的重合情况）。"
    ),
    compare_with: list[Path] | None = typer.Option(
        None, "--compare-with", help="与往次答卷比对雷同，如上一轮的答卷文件夹（可重复）。"
    ),
    templates: Path | None = typer.Option(
        None, "--templates", help="与范文比对雷同：存放 .txt、.md、.docx 范文的文件夹。"
    ),
    stock_phrases: Path | None = typer.Option(
        None, "--stock-phrases", help="用自己的套话表（YAML）代替内置的套话表。"
    ),
) -> None:
    """汇总一批答卷：参与情况、问题统计、整改台账、图表、雷同检查；
    --format report 生成整改落实情况报告。"""
    from selfcheck.similarity.options import SimilarityOptions
    from selfcheck.summary.api import lazy_console, summary_command
    from selfcheck.summary.close_options import CloseOptions

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
        close=CloseOptions.from_flags(addressee, signer, template, compare_with),
        similarity=SimilarityOptions.from_flags(
            no_similarity, compare_with or [], templates, stock_phrases
        ),
    )


@app.command("rollup", cls=_Command)
def rollup(
    summaries: list[Path] = typer.Argument(
        ..., metavar="汇总文件", help="各单位的汇总 JSON（summary --format json 生成）。"
    ),
    fmt: str = typer.Option(
        "table", "--format", help="table、md、html、xlsx、csv、json 或 report（整改落实情况报告）。"
    ),
    output: Path | None = typer.Option(None, "-o", "--output", help="输出文件。"),
    addressee: str | None = AddresseeOption,
    signer: str | None = SignerOption,
    template: Path | None = ReportTemplateOption,
) -> None:
    """把各单位的汇总合并为上级汇总；--format report 生成全局的整改落实情况报告。"""
    from selfcheck.summary.api import lazy_console, rollup_command
    from selfcheck.summary.close_options import CloseOptions

    rollup_command(
        summaries,
        fmt=fmt,
        output=output,
        console=lazy_console(_console),
        close=CloseOptions.from_flags(addressee, signer, template),
    )


@app.command("demo", cls=_Command)
def demo(
    folder: Path = typer.Argument(..., metavar="文件夹", help="写入演示数据的文件夹。"),
    people: int = typer.Option(60, "--people", min=1, help="人数。"),
    seed: int = typer.Option(2008, "--seed", help="随机种子（相同种子生成相同数据）。"),
    copies: float = typer.Option(
        0.0, "--copies", help="抄改他人文字的答卷比例，如 0.05（检验雷同检查用，另存答案）。"
    ),
) -> None:
    """生成一个演示用的单位：名单和答卷（含草稿、未提交、各类问题）。"""
    from selfcheck.summary.demo import demo_command

    demo_command(folder, people=people, seed=seed, console=_console(), copies=copies)


@app.command("rectify", cls=_Command)
def rectify(
    response: Path = typer.Argument(..., metavar="答卷", help="已提交的答卷文件（.json）。"),
    no_input: bool = typer.Option(
        False, "--no-input", help="不提问：只用 --set；没有 --set 时只列出整改措施。"
    ),
    sets: list[str] | None = typer.Option(
        None,
        "--set",
        metavar="检查项=状态[:说明]",
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
    recheck: str | None = typer.Option(
        None, "--recheck", metavar="ITEM", help="回头看：复查该检查项已完成或长期坚持的整改措施。"
    ),
    result: str | None = typer.Option(None, "--result", help="回头看结果：巩固 或 反弹。"),
    note: str = typer.Option("", "--note", help="回头看或销号核验的说明。"),
    verify: str | None = typer.Option(
        None, "--verify", metavar="ITEM", help="销号核验该检查项的已完成措施（all：逐项核验）。"
    ),
    accept: bool | None = typer.Option(
        None, "--accept/--reject", help="核验结论：通过（已销号）/ 不通过（退回整改中）。"
    ),
    reviewer: str | None = typer.Option(None, "--reviewer", help="核验人姓名。"),
    evidence: list[Path] | None = typer.Option(
        None, "--evidence", metavar="FILE", help="佐证材料文件，随 --set 登记（可重复）。"
    ),
    deadline: str | None = typer.Option(
        None, "--deadline", metavar="DATE", help="反弹后新的整改时限（--no-input 时必填）。"
    ),
) -> None:
    """记录整改进展：未开始、整改中、已完成、长期坚持（历史记录保留在答卷中）。

    \b
    selfcheck rectify 答卷.json                     逐项询问
    selfcheck rectify 答卷.json --no-input          只列出措施和状态
    selfcheck rectify 答卷.json --set work-2=已完成:台账已建立 --date 2009-03-20
    selfcheck rectify 答卷.json --set work-2=已完成:台账已建立 --evidence 台账.pdf
    selfcheck rectify 答卷.json --verify work-2 --accept --reviewer 王五 --note 台账属实
    selfcheck rectify 答卷.json --recheck work-2 --result 反弹 --note 又有拖拉 --deadline 2009-06-30
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
            recheck=recheck,
            result=result,
            note=note,
            deadline=deadline,
            verify=verify,
            accept=accept,
            reviewer=reviewer,
            evidence=evidence or [],
        )
    )


@app.command("review", cls=_Command)
def review(
    target: Path = typer.Argument(..., help="答卷文件（.json），或 --list 时的文件夹。"),
    passed: bool = typer.Option(False, "--pass", help="审核通过。"),
    returned: bool = typer.Option(False, "--return", help="退回重新修改（须给出 --reason）。"),
    reasons: list[str] | None = typer.Option(
        None, "--reason", metavar="REASON", help="退回理由（名称或简称，可重复）。"
    ),
    items: list[str] | None = typer.Option(
        None, "--item", metavar="ITEM", help="需要修改的检查项（可重复；默认全部查摆的问题）。"
    ),
    note: str | None = typer.Option(None, "--note", help="审核意见。"),
    reviewer: str | None = typer.Option(None, "--reviewer", help="审核人姓名。"),
    list_all: bool = typer.Option(False, "--list", help="列出文件夹中每份材料的审核状态和提醒。"),
    reasons_file: Path | None = typer.Option(
        None, "--reasons", metavar="FILE", help="自定义退回理由清单（YAML）。"
    ),
    ledger: str | None = typer.Option(
        None, "--ledger", metavar="ITEM", help="填写该检查项的台账栏目（问题来源等）。"
    ),
    source: str | None = typer.Option(
        None, "--source", help="问题来源：自己找、群众提、上级点、同级帮、组织查。"
    ),
    kind: str | None = typer.Option(
        None, "--kind", help="整改类型：立行立改、限期整改、长期坚持。"
    ),
    leader: str | None = typer.Option(None, "--leader", help="责任领导。"),
    no_similarity: bool = typer.Option(
        False, "--no-similarity", help="--list 时不做雷同检查（文件很多时更快）。"
    ),
    dirs: list[Path] | None = DirOption,
) -> None:
    """机关党委审核对照检查材料：通过，或退回重新修改（写明理由）；--list 列出审核清单。

    \b
    selfcheck review 答卷.json                         逐项询问
    selfcheck review 答卷.json --pass --reviewer 王五
    selfcheck review 答卷.json --return --reason 问题不具体 --reason 措施不明确 --note 请补充
    selfcheck review 答卷文件夹 --list
    selfcheck review 答卷.json --ledger work-2 --source 群众提 --kind 限期整改 --reviewer 王五
    """
    from selfcheck.review.command import review_command

    raise typer.Exit(
        review_command(
            target,
            console=_console(),
            passed=passed,
            returned=returned,
            reasons=reasons or [],
            items=items or [],
            note=note,
            reviewer=reviewer,
            list_all=list_all,
            reasons_file=reasons_file,
            dirs=dirs or [],
            ledger=ledger,
            source=source,
            kind=kind,
            leader=leader,
            similarity=not no_similarity,
        )
    )


@app.command("serve", cls=_Command)
def serve(
    folder: Path = typer.Argument(..., metavar="目录", help="收集答卷的文件夹（同 run --out）。"),
    roster: Path = typer.Option(..., "--roster", help="应参加人员名单（CSV 或 XLSX）。"),
    checklist: str | None = typer.Option(
        None, "--checklist", "-c", help="检查表标识或路径（默认内置检查表）。"
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；内网访问用 0.0.0.0。"),
    port: int = typer.Option(8000, "--port", help="端口。"),
    links: Path | None = typer.Option(
        None, "--links", help="个人链接写入此 CSV（另生成可打印的通知）。"
    ),
    certfile: Path | None = typer.Option(None, "--certfile", help="HTTPS 证书文件。"),
    keyfile: Path | None = typer.Option(None, "--keyfile", help="HTTPS 私钥文件。"),
    url: str | None = typer.Option(
        None, "--url", help="链接中使用的地址，如 http://10.1.2.3:8000。"
    ),
    dirs: list[Path] | None = DirOption,
    previous: Path | None = typer.Option(
        None, "--previous", help="上一轮答卷的文件夹：每人先说明上一轮查摆问题的整改情况。"
    ),
) -> None:
    """在内网用浏览器填写对照检查：每人一个链接，答卷直接写入目录。"""
    from selfcheck.serve.command import ServeOptions, serve_command

    options = ServeOptions(
        folder=folder,
        roster=roster,
        checklist=checklist,
        host=host,
        port=port,
        links=links,
        certfile=certfile,
        keyfile=keyfile,
        url=url,
        dirs=dirs or [],
        previous=previous,
    )
    raise typer.Exit(serve_command(options, _console()))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="selfcheck")


if __name__ == "__main__":  # pragma: no cover
    main()
