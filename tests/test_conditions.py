"""Conditions over answers: evaluation and the answer space used by the reachability check."""

import pytest

from thutuc.conditions import answer_space, check, holds

QUESTIONS = {
    "nop_thay": {"key": "nop_thay", "type": "boolean"},
    "loai": {"key": "loai", "type": "choice", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
    "so_trang": {"key": "so_trang", "type": "number", "min": 1, "max": 500},
    "ngay": {"key": "ngay", "type": "date"},
}


@pytest.mark.parametrize("cond, answers, expected", [
    (None, {}, True),
    ({"q": "nop_thay", "eq": True}, {"nop_thay": True}, True),
    ({"q": "nop_thay", "eq": True}, {"nop_thay": False}, False),
    ({"q": "nop_thay", "eq": True}, {}, False),  # unanswered: not required
    ({"q": "loai", "ne": "a"}, {"loai": "b"}, True),
    ({"q": "loai", "in": ["a", "b"]}, {"loai": "b"}, True),
    ({"q": "so_trang", "gt": 2}, {"so_trang": 3}, True),
    ({"q": "so_trang", "gt": 2}, {"so_trang": 2}, False),
    ({"q": "so_trang", "gte": 2}, {"so_trang": 2}, True),
    ({"q": "so_trang", "lt": 2}, {"so_trang": 1}, True),
    ({"q": "so_trang", "lte": 1}, {"so_trang": 2}, False),
    ({"q": "ngay", "gte": "2026-01-01"}, {"ngay": "2026-03-01"}, True),
    ({"all_of": [{"q": "nop_thay", "eq": True}, {"q": "loai", "eq": "a"}]}, {"nop_thay": True, "loai": "b"}, False),
    ({"any_of": [{"q": "nop_thay", "eq": True}, {"q": "loai", "eq": "a"}]}, {"nop_thay": False, "loai": "a"}, True),
    ({"not": {"q": "nop_thay", "eq": True}}, {"nop_thay": False}, True),
])
def test_holds(cond, answers, expected):
    assert holds(cond, answers) is expected


def test_answer_space_covers_every_branch():
    conds = [{"q": "so_trang", "gt": 2}, {"q": "loai", "eq": "a"}, {"q": "nop_thay", "eq": True}]
    combos, total = answer_space(QUESTIONS, conds)
    assert total == len(combos)
    assert {c["loai"] for c in combos} == {"a", "b"}
    assert {c["nop_thay"] for c in combos} == {True, False}
    pages = {c["so_trang"] for c in combos}
    assert any(p > 2 for p in pages) and any(p <= 2 for p in pages)
    assert min(pages) >= 1  # respects the question's min


def test_answer_space_ignores_unused_questions():
    combos, total = answer_space(QUESTIONS, [{"q": "nop_thay", "eq": True}])
    assert total == 2 and all(set(c) == {"nop_thay"} for c in combos)


@pytest.mark.parametrize("cond, fragment", [
    ({"q": "nop_thay", "gt": 1}, "compare it with eq or ne"),
    ({"q": "loai", "eq": "c"}, "'c' is not an option"),
    ({"q": "so_trang", "eq": "ba"}, "takes a number"),
    ({"q": "ngay", "lt": "01/01/2026"}, "YYYY-MM-DD"),
    ({"q": "nop_thay"}, "exactly one of eq"),
    ({"eq": True}, "needs q"),
    ({"q": "khong_co", "eq": True}, "no question has key 'khong_co'"),
    ({"all_of": [{"q": "loai", "eq": "z"}]}, "'z' is not an option"),
])
def test_static_check_explains(cond, fragment):
    messages = [m for _, m in check(cond, QUESTIONS)]
    assert len(messages) == 1 and fragment in messages[0]
