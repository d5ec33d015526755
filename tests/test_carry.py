"""The rules of 回头看, carry-forward and the committee report's four columns."""

from __future__ import annotations

from datetime import date

import pytest

from selfcheck import carry, rules
from selfcheck.response import CarriedProblem, PreviousRound, RectifyEntry, replace
from selfcheck.rules import CarryState, Completion, Status
from selfcheck.testing import NOW, builtin_checklist, make_response

TODAY = date(2009, 3, 10)


@pytest.mark.parametrize(
    ("status", "deadline", "expected"),
    [
        (Status.DONE, date(2009, 1, 1), Completion.COMPLETED),
        (Status.ONGOING, date(2009, 1, 1), Completion.CONTINUING),
        (Status.IN_PROGRESS, date(2009, 3, 10), Completion.BASICALLY),  # due today: not late
        (Status.IN_PROGRESS, None, Completion.BASICALLY),
        (Status.IN_PROGRESS, date(2009, 3, 9), Completion.NOT_DONE),
        (Status.NOT_STARTED, date(2009, 12, 31), Completion.NOT_DONE),
        (Status.NOT_STARTED, None, Completion.NOT_DONE),
    ],
)
def test_completion_columns(status: Status, deadline: date | None, expected: Completion) -> None:
    assert rules.completion_of(status.value, deadline, TODAY) is expected


def test_only_a_rebound_reopens_and_only_closed_measures_are_rechecked() -> None:
    assert rules.recheck_result_of("反弹") is rules.RecheckResult.REBOUND
    assert rules.recheck_result_of("rebound") is rules.RecheckResult.REBOUND
    assert rules.recheck_result_of("巩固") is rules.RecheckResult.CONSOLIDATED
    assert rules.recheck_result_of("差不多") is None
    assert [r.reopens for r in rules.RECHECK_RESULTS] == [False, True]
    assert [rules.can_recheck(s.value) for s in rules.STATUSES] == [False, False, True, True]
    assert [s.carries_over for s in rules.CARRY_STATES] == [False, False, True, True]


def test_the_latest_new_deadline_holds() -> None:
    def entry(day: int, deadline: date | None) -> RectifyEntry:
        return RectifyEntry(
            item="work-2",
            status=Status.IN_PROGRESS,
            date=date(2009, 1, day),
            recorded_at=NOW.replace(day=day),
            deadline=deadline,
        )

    log = [entry(1, date(2009, 6, 30)), entry(2, None)]
    assert rules.current_deadline(date(2009, 1, 31), log) == date(2009, 6, 30)
    assert rules.current_deadline(date(2009, 1, 31), []) == date(2009, 1, 31)
    # a log out of order is read in recorded order first
    steps = rules.history_by_item(reversed(log))["work-2"]
    assert rules.current_deadline(None, steps) == date(2009, 6, 30)


def test_a_log_is_read_in_recorded_order_and_log_order_breaks_ties() -> None:
    def entry(day: int, status: Status, deadline: date | None = None) -> RectifyEntry:
        return RectifyEntry(
            item="work-2",
            status=status,
            date=date(2009, 1, day),
            recorded_at=NOW.replace(day=day),
            deadline=deadline,
        )

    first = entry(1, Status.IN_PROGRESS, date(2009, 6, 30))
    second = entry(2, Status.DONE, date(2009, 9, 30))
    steps = rules.history_by_item([second, first])["work-2"]
    assert steps == [first, second]
    assert rules.current_status(steps) is Status.DONE
    assert rules.current_deadline(None, steps) == date(2009, 9, 30)
    tied = entry(2, Status.ONGOING)
    assert rules.history_by_item([first, second, tied])["work-2"] == [first, second, tied]
    assert rules.history_by_item([tied, second, first])["work-2"] == [first, tied, second]
    assert rules.latest_by_item([second, tied, first])["work-2"] is tied


def _previous() -> tuple[PreviousRound, object]:
    checklist = builtin_checklist()
    last = make_response(
        checklist,
        {
            "work-2": {
                "rating": "some",
                "manifestation": "办件拖拉",
                "measure": "建立台账",
                "deadline": "2009-01-31",
            },
            "study-1": {
                "rating": "serious",
                "manifestation": "学习不够",
                "measure": "每月读一本书",
            },
            "work-1": {"rating": "good"},
        },
    )
    return carry.carried_problems(last, checklist, checklist, file="上轮.json"), checklist


def test_matching_by_id_and_listing_every_problem() -> None:
    round_, _ = _previous()
    assert [(p.previous_item, p.item, p.matched_by) for p in round_.problems] == [
        ("work-2", "work-2", "id"),
        ("study-1", "study-1", "id"),
    ]
    assert round_.problems[0].problem == "办件拖拉" and round_.problems[0].measure == "建立台账"
    assert round_.problems[0].deadline == date(2009, 1, 31)


def _stated(problem: CarriedProblem, state: CarryState, **kw: object) -> CarriedProblem:
    return carry.apply_statement(problem, carry.Statement(state, **kw))  # type: ignore[arg-type]


def test_kept_problems_join_this_round_marked_and_removed_ones_do_not() -> None:
    round_, checklist = _previous()
    work, study = round_.problems
    round_ = replace_round(
        round_,
        [
            _stated(work, CarryState.UNRESOLVED, deadline=date(2009, 12, 31)),
            _stated(study, CarryState.REBOUND, removed="已调岗"),
        ],
    )
    own = {"work-2": {"rating": "good"}, "study-1": {"rating": "good"}}
    merged = carry.merge_answers(checklist, own, round_)  # type: ignore[arg-type]
    assert merged["work-2"] == {
        "rating": "some",
        "manifestation": "【上轮遗留】办件拖拉",
        "measure": "建立台账",
        "deadline": "2009-12-31",
    }
    assert merged["study-1"] == {"rating": "good"}
    assert own["work-2"] == {"rating": "good"}  # the input is not changed


def test_a_problem_already_found_this_round_gets_the_carried_text_added_once() -> None:
    round_, checklist = _previous()
    round_ = replace_round(round_, [_stated(round_.problems[0], CarryState.REBOUND)])
    own = {"work-2": {"rating": "serious", "manifestation": "本轮又有拖拉", "measure": "限时办结"}}
    once = carry.merge_answers(checklist, own, round_)  # type: ignore[arg-type]
    twice = carry.merge_answers(checklist, once, round_)  # type: ignore[arg-type]
    assert once["work-2"]["manifestation"] == "本轮又有拖拉\n【上轮遗留】办件拖拉"
    assert once["work-2"]["rating"] == "serious"
    assert once["work-2"]["measure"] == "限时办结\n【上轮遗留】建立台账"
    assert twice == once


@pytest.mark.parametrize(
    ("own", "kept", "deadline", "own_tail", "measure_tail"),
    [
        # his own deadline is the earlier: kept, the carried measure says its own
        ("2010-04-30", date(2010, 6, 30), "2010-04-30", "", "，本轮于2010年6月30日前完成。"),
        # the carried deadline is the earlier: it is the item's, his own stays in his words
        ("2010-04-30", date(2010, 3, 31), "2010-03-31", "，于2010年4月30日前完成。", ""),
        (date(2010, 4, 30), date(2010, 3, 31), "2010-03-31", "，于2010年4月30日前完成。", ""),
        # the same day, or none of his own: nothing to say
        ("2010-03-31", date(2010, 3, 31), "2010-03-31", "", ""),
        (None, date(2010, 6, 30), "2010-06-30", "", ""),
    ],
)
def test_a_carried_problem_also_rated_this_round_keeps_its_measure_and_deadline(
    own: object, kept: date, deadline: str, own_tail: str, measure_tail: str
) -> None:
    round_, checklist = _previous()
    round_ = replace_round(
        round_, [_stated(round_.problems[0], CarryState.UNRESOLVED, deadline=kept)]
    )
    mine: dict[str, object] = {
        "rating": "some",
        "manifestation": "本轮又有拖拉",
        "measure": "限时办结",
    }
    if own is not None:
        mine["deadline"] = own
    once = carry.merge_answers(checklist, {"work-2": mine}, round_)  # type: ignore[arg-type]
    assert once["work-2"]["measure"] == f"限时办结{own_tail}\n【上轮遗留】建立台账{measure_tail}"
    assert once["work-2"]["deadline"] == deadline
    assert carry.merge_answers(checklist, once, round_) == once  # type: ignore[arg-type]


def test_carried_text_the_cadre_already_wrote_is_not_added_again() -> None:
    round_, checklist = _previous()
    round_ = replace_round(round_, [_stated(round_.problems[0], CarryState.REBOUND)])
    own = {"work-2": {"rating": "some", "manifestation": "办件拖拉。", "measure": "建立 台账；"}}
    merged = carry.merge_answers(checklist, own, round_)  # type: ignore[arg-type]
    assert merged["work-2"]["manifestation"] == "办件拖拉。"
    assert merged["work-2"]["measure"] == "建立 台账；"


def replace_round(round_: PreviousRound, problems: list[CarriedProblem]) -> PreviousRound:
    import msgspec

    return msgspec.structs.replace(round_, problems=problems)


def test_response_round_trips_with_previous_and_rechecks() -> None:
    from selfcheck.response import RecheckEntry, encode_response, parse_response

    round_, checklist = _previous()
    response = make_response(checklist, {"work-1": {"rating": "good"}})
    response = replace(
        response,
        previous=round_,
        rechecks=[
            RecheckEntry(
                item="work-2",
                result=rules.RecheckResult.REBOUND,
                date=TODAY,
                deadline=date(2009, 6, 30),
                recorded_at=NOW,
            )
        ],
    )
    assert parse_response(encode_response(response), "x.json") == response


def test_bigram_dice_ignores_punctuation_and_tells_different_texts_apart() -> None:
    from selfcheck.summary.year_over_year import bigram_dice

    assert bigram_dice("办件拖拉，超期答复。", "办件拖拉 超期答复") == 1.0
    assert bigram_dice("办理来信仍有拖拉现象", "办理来信有拖拉现象") > 0.8
    assert bigram_dice("接待群众态度生硬", "学习计划执行不到位") == 0.0
    assert bigram_dice("", "") == 0.0
