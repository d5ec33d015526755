"""``selfcheck summary`` and ``selfcheck rollup``.

summary: find the checklist, read the roster, stream every response file
through an :class:`~selfcheck.summary.aggregate.Aggregator`, then write one
format. rollup: read unit summaries, feed their records through the same
aggregator, write the merged summary. Only the chosen format's libraries are
imported (``--format json`` needs neither rich tables, Jinja nor openpyxl).
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from selfcheck import clock, rules
from selfcheck.errors import SummaryError, UsageError
from selfcheck.summary.aggregate import Aggregator, Filters, keep_file, merge_rosters
from selfcheck.summary.roster import RosterEntry, UnitNames

if TYPE_CHECKING:
    from rich.console import Console

    from selfcheck.similarity.detect import Result as SimilarityResult
    from selfcheck.similarity.options import SimilarityOptions
    from selfcheck.summary.close_options import CloseOptions
    from selfcheck.summary.jsonio import LoadedSummary
    from selfcheck.summary.plan import ChecklistPlan
    from selfcheck.summary.view import SummaryView

_SUMMARY_LIMIT = 4 << 30
"""A unit's summary of 100,000 people is a few hundred MB; refuse only the absurd."""

FORMATS = ("table", "md", "html", "xlsx", "csv", "json", "report")
_BINARY_ONLY = ("xlsx",)


class _LazyConsole:
    """Stands in for the rich Console and makes it only when something is printed."""

    def __init__(self, factory: Callable[[], Console]) -> None:
        self._factory = factory
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            self._console = self._factory()
        return getattr(self._console, name)


def lazy_console(factory: Callable[[], Console]) -> Console:
    """A console made on first use: ``--format json`` never imports rich."""
    return cast("Console", _LazyConsole(factory))


def _check_format(fmt: str, output: Path | None) -> str:
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"未知格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    if fmt in _BINARY_ONLY and output is None:
        raise UsageError("xlsx 格式需要用 -o 指定输出文件，如 -o 汇总.xlsx")
    return fmt


def summary_command(
    paths: list[Path],
    *,
    roster: Path | None,
    checklist_ref: str | None,
    unit: str | None,
    role: str | None,
    anonymize: bool,
    fmt: str,
    output: Path | None,
    dirs: list[Path],
    console: Console,
    close: CloseOptions | None = None,
    similarity: SimilarityOptions | None = None,
) -> None:
    """``selfcheck summary PATH...``: aggregate response files and write one format.

    ``similarity`` (None: ``--no-similarity``) adds the 雷同检查 part.

    ``--format report`` writes the committee's 整改落实情况报告 (``close`` options)."""
    from selfcheck.folder import Discovery
    from selfcheck.summary.plancache import load_plan
    from selfcheck.summary.reader import clean_unit, paused_gc
    from selfcheck.summary.records import Skip

    fmt = _check_format(fmt, output)
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到文件或文件夹：{path}")
    plan = load_plan(checklist_ref, dirs)
    everyone = _roster(roster, plan)
    names = UnitNames(everyone)
    filters = Filters(unit=names(clean_unit(unit)) if unit else None, role=_role(plan, role))
    entries = _admitted(everyone, filters)
    agg = Aggregator(plan, clock.today(), filters, unit_names=names)
    if anonymize:
        _anonymize(agg)
    try:
        found = Discovery(paths)
        with paused_gc():
            for file, display in found:
                agg.add_file(file, display)
        for skip in found.skipped:
            agg.add_skip(Skip(skip.file, skip.code, skip.reason))
        agg.ignored_files = found.ignored
        if entries is not None and agg.anonymizer is not None:
            entries = [
                RosterEntry(e.unit, agg.anonymizer(e.unit, e.name), "", e.role) for e in entries
            ]
        _hint_other_checklist(agg, console)
        similar = None
        if similarity is not None and fmt not in ("csv", "report"):
            from selfcheck.similarity.api import for_summary

            with paused_gc():  # many short-lived sets and lists, no reference cycles
                similar = for_summary(agg, similarity)
        _write(agg, entries, filters.describe(plan), fmt, output, console, close, similar)
    finally:
        agg.close()


def rollup_command(
    summaries: list[Path],
    *,
    fmt: str,
    output: Path | None,
    console: Console,
    close: CloseOptions | None = None,
) -> None:
    """``selfcheck rollup SUMMARY.json...``: merge unit summaries into one (``close``:
    the options of the 整改落实情况报告, ``--format report``).

    The summaries are read and merged one at a time: memory holds one file's text
    at once, not all of them."""
    fmt = _check_format(fmt, output)
    loaded: list[LoadedSummary] = []

    def each() -> Iterator[LoadedSummary]:
        for path in summaries:
            summary = _read_summary(path)
            loaded.append(summary)
            yield summary

    agg = rollup(each())
    try:
        rosters = [s.roster for s in loaded if s.roster is not None]
        roster = merge_rosters(rosters) if rosters else None
        conditions = Filters.merged(s.conditions for s in loaded)
        from selfcheck.similarity.api import for_rollup

        similar = None
        if fmt not in ("csv", "report"):
            from selfcheck.summary.reader import paused_gc

            with paused_gc():
                similar = for_rollup(agg, loaded)
        _write(agg, roster, conditions, fmt, output, console, close=close, similar=similar)
    finally:
        agg.close()


def _read_summary(path: Path) -> LoadedSummary:
    from selfcheck.folder import FolderReadError, read_limited
    from selfcheck.summary.jsonio import read_summary_json

    try:
        raw = read_limited(str(path), limit=_SUMMARY_LIMIT, follow_symlinks=True)
    except FolderReadError as exc:
        if exc.errno == errno.ENOENT:
            raise SummaryError(f"找不到汇总文件：{path}") from None
        raise SummaryError(f"无法读取汇总文件 {path}：{exc.reason}") from None
    return read_summary_json(raw, str(path))


def rollup(summaries: Iterable[LoadedSummary]) -> Aggregator:
    """Merge checked summaries (see :func:`~selfcheck.summary.jsonio.read_summary_json`),
    each in turn: its skips, drafts and records; a record superseded by a later summary's
    lands in the skips like any other. A summary that cannot be merged with the first
    stops the merge before anything is written."""
    agg: Aggregator | None = None
    seen: list[LoadedSummary] = []
    try:
        for summary in summaries:
            if agg is None:
                agg = Aggregator(summary.plan, clock.today())
                if summary.anonymized:
                    agg.anonymizer = _already_anonymous
                    agg.hide_file = keep_file
            else:
                _check_mergeable(seen[0], summary, seen)
            seen.append(summary)
            agg.excluded += summary.excluded
            agg.ignored_files += summary.ignored_files
            for skip in summary.skipped:
                agg.skips.append(skip)
            for draft in summary.drafts:
                agg.add_draft(draft)
            for record in summary.records:  # each decoded and checked as it comes
                agg.add_record(record)
            summary.records.release()
    except BaseException:  # a record out of shape, or Ctrl-C: no spool is left open
        if agg is not None:
            agg.close()
        raise
    if agg is None:
        raise UsageError("请至少给出一个汇总文件")
    return agg


def _check_mergeable(first: LoadedSummary, other: LoadedSummary, seen: list[LoadedSummary]) -> None:
    if other.plan.sha256 != first.plan.sha256:
        raise SummaryError(
            "这些汇总依据的检查表不同，不能合并：\n"
            + "\n".join(
                f"  {s.file}：{s.plan.id} {s.plan.version}（{s.plan.sha256[:12]}）"
                for s in [*seen, other]
            )
        )
    if other.anonymized != first.anonymized:
        raise SummaryError("匿名汇总与实名汇总不能合并：请统一使用或不使用 --anonymize")


def _already_anonymous(unit: str, name: str) -> str:
    return name


def _role(plan: ChecklistPlan, role: str | None) -> str | None:
    if role is None:
        return None
    found = plan.find_role(role)
    if found is None:
        known = rules.role_choices(plan.roles)
        raise UsageError(f"未知类别“{role}”，可选：{known}")
    return found


def _roster(path: Path | None, plan: ChecklistPlan) -> list[RosterEntry] | None:
    if path is None:
        return None
    from selfcheck.summary.roster import load_roster

    return load_roster(path, plan)


def _admitted(entries: list[RosterEntry] | None, filters: Filters) -> list[RosterEntry] | None:
    """The roster's people that ``--unit`` and ``--role`` count."""
    if entries is None:
        return None
    return [e for e in entries if filters.admits(e.unit, e.role if filters.role else None)]


def _anonymize(agg: Aggregator) -> None:
    from selfcheck.summary.anonymize import Anonymizer, load_key

    anonymizer = Anonymizer(load_key())
    agg.anonymizer = anonymizer.person
    agg.hide_file = anonymizer.file


def _hint_other_checklist(agg: Aggregator, console: Console) -> None:
    """When nothing matched the checklist but other checklists' files were seen, say so."""
    if agg.records.count:
        return
    codes = {s.code for s in agg.iter_skips()}
    hints = []
    plan = agg.plan
    if rules.CONTENT_DIFFERS in codes:
        hints.append(
            f"提示：有答卷是按检查表 {plan.id} {plan.version} 填写的，但填写时的检查表内容"
            "与这次使用的不同（检查表文件改过，版本号没有改），所以没有计入。"
            "请用 --checklist 指定填写时使用的检查表文件；或请填写人用现在的检查表重新运行 "
            "selfcheck run，核对后重新提交。"
        )
    if codes & {"checklist", "version"}:
        hints.append(
            f"提示：没有一份答卷属于检查表 {plan.id} {plan.version}；"
            "如果要汇总其他检查表的答卷，请用 --checklist 指定。"
        )
    if hints:
        from selfcheck.console import make_console

        stderr = make_console(stderr=True)
        for hint in hints:
            stderr.print(hint, style="yellow", soft_wrap=True)


def _write(
    agg: Aggregator,
    roster: list[RosterEntry] | None,
    conditions: list[str],
    fmt: str,
    output: Path | None,
    console: Console,
    close: CloseOptions | None = None,
    similar: SimilarityResult | None = None,
) -> None:
    if fmt == "json":
        from selfcheck.summary.jsonio import write_summary_json
        from selfcheck.summary.view import figures_of

        figures = figures_of(agg, roster)
        _emit(
            output,
            lambda out: write_summary_json(
                out, agg, roster, figures, conditions, similarity=similar
            ),
        )
        _done(output, console)
        return
    from selfcheck.summary.view import build_view

    view = build_view(agg, roster, conditions)
    view.similarity = similar
    if fmt == "report":
        from selfcheck.summary.close_options import CloseOptions
        from selfcheck.summary.close_report import close_report_bytes

        options = close or CloseOptions()
        comparison = None
        if options.compare_with:
            from selfcheck.summary.year_over_year import compare_with

            comparison = compare_with(agg, list(options.compare_with))
        data = close_report_bytes(view, options, output, comparison)
        _emit(output, lambda out: out.write(data))
        _done(output, console)
        return
    if fmt == "table":
        from selfcheck.summary.render_table import render_table

        if output is None:
            render_table(view, console)
        else:
            import io

            from selfcheck.console import make_console

            buffer = io.StringIO()
            render_table(view, make_console(width=160, file=buffer))
            text = "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
            _emit(output, lambda out: out.write(text.encode("utf-8")))
            _done(output, console)
        return
    renderers: dict[str, Callable[[SummaryView], bytes]] = {}
    if fmt == "md":
        from selfcheck.summary.render_md import render_markdown

        renderers["md"] = lambda v: render_markdown(v).encode("utf-8")
    elif fmt == "html":
        from selfcheck.summary.render_html import render_html

        renderers["html"] = lambda v: render_html(v).encode("utf-8")
    elif fmt == "csv":
        from selfcheck.summary.render_csv import render_ledger_csv

        renderers["csv"] = render_ledger_csv
    elif fmt == "xlsx":
        from selfcheck.summary.render_xlsx import render_xlsx

        renderers["xlsx"] = render_xlsx
    data = renderers[fmt](view)
    _emit(output, lambda out: out.write(data))
    _done(output, console)


def _emit(output: Path | None, write: Callable[[IO[bytes]], object]) -> None:
    if output is None:
        sys.stdout.flush()
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    from selfcheck.atomicio import atomic_writer

    with atomic_writer(output, private=True) as handle:
        write(handle)


def _done(output: Path | None, console: Console) -> None:
    if output is not None:
        from selfcheck.console import make_console

        make_console(stderr=True).print(f"已写入 {output}", soft_wrap=True)
