"""Conditions over answers: evaluation, and the search of answers used by the reachability check."""

import pytest

from helpers import GOLDEN, TODAY, make_catalogue
from thutuc.catalogue.check import check_catalogue
from thutuc.catalogue.conditions import Space, TooManyCombinations, check, holds

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


def test_the_search_covers_every_branch():
    conds = [{"q": "so_trang", "gt": 2}, {"q": "loai", "eq": "a"}, {"q": "nop_thay", "eq": True}]
    space = Space(QUESTIONS, conds)
    assert space.domains["loai"] == ["a", "b"] and space.domains["nop_thay"] == [True, False]
    pages = space.domains["so_trang"]
    assert any(p > 2 for p in pages) and any(p <= 2 for p in pages)
    assert min(pages) >= 1 and max(pages) <= 500  # respects the question's min and max
    assert space.find(fail=conds) == {"loai": "b", "nop_thay": False, "so_trang": 1}
    assert space.find(hold=conds) == {"loai": "a", "nop_thay": True, "so_trang": 3}
    assert space.find(hold=[{"q": "so_trang", "gt": 500}]) is None  # beyond max: never


def test_the_search_ignores_unused_questions():
    space = Space(QUESTIONS, [{"q": "nop_thay", "eq": True}])
    assert space.keys == ["nop_thay"] and space.find() == {"nop_thay": True}


def test_numbers_between_two_close_boundaries_are_tried():
    # 2.5 < so_trang < 3 holds for 2.75 pages: no whole number, and not c - 1, c or c + 1 either.
    cond = {"all_of": [{"q": "so_trang", "gt": 2.5}, {"q": "so_trang", "lt": 3}]}
    assert Space(QUESTIONS, [cond]).satisfiable(cond)
    assert not Space(QUESTIONS, [c := {"all_of": [{"q": "so_trang", "gt": 3}, {"q": "so_trang", "lt": 3}]}]).satisfiable(c)


def _booleans(n: int) -> dict:
    return {f"b{i:02d}": {"key": f"b{i:02d}", "type": "boolean"} for i in range(n)}


def test_many_questions_are_searched_not_enumerated():
    questions = _booleans(60)
    # One paper per question, plus one for "none of them": never empty, and every paper reachable.
    conds = [{"q": k, "eq": True} for k in questions] + [{"all_of": [{"q": k, "eq": False} for k in questions]}]
    space = Space(questions, conds)
    assert all(space.satisfiable(c) for c in conds)
    assert space.find(fail=conds) is None
    assert space.find(fail=conds[:-1]) == {k: False for k in questions}


def test_a_search_that_cannot_finish_says_so_instead_of_guessing(monkeypatch):
    import thutuc.catalogue.conditions as conditions

    monkeypatch.setattr(conditions, "SEARCH_LIMIT", 50)
    questions = _booleans(20)
    # Parity of 20 answers: no branch is decided before the last question.
    cond = {"all_of": [{"any_of": [{"q": f"b{i:02d}", "eq": True}, {"q": f"b{i + 1:02d}", "eq": True}]}
                       for i in range(19)]}
    cond = {"all_of": [cond, {"not": cond}]}
    with pytest.raises(TooManyCombinations):
        Space(questions, [cond]).satisfiable(cond)


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


def _procedure_with(questions: str, documents: str, fees: str) -> str:
    base = (GOLDEN / "base/procedures/ho-tich/khai-sinh.yaml").read_text(encoding="utf-8")
    head, rest = base.split("questions:\n", 1)
    rest = rest[rest.index("channels:\n"):]
    rest = rest.replace(rest[rest.index("fees:\n"):rest.index("results:\n")], "fees:\n" + fees)
    return head + "questions:\n" + questions + "documents:\n" + documents + rest


def test_ten_yes_no_questions_do_not_make_check_reject_valid_papers(tmp_path):
    questions = "".join(f"  - key: b{i:02d}\n    ask: Câu {i}?\n    type: boolean\n" for i in range(10))
    questions += ("  - key: loai\n    ask: Loại?\n    type: choice\n    options:\n"
                  + "".join(f"      - {{value: l{i}, label: L{i}}}\n" for i in range(5))
                  + "  - key: so_trang\n    ask: Số trang?\n    type: number\n    min: 1\n")
    documents = ("  - id: to-khai\n    group: submit\n    name: Tờ khai\n    originals: 1\n"
                 "    when: {q: so_trang, gte: 1}\n"
                 # needs the answers the old enumeration reached last (it stopped at 20,000 of 51,200)
                 "  - id: hiem\n    group: submit\n    name: Giấy hiếm\n    originals: 1\n"
                 "    when: {all_of: [{q: b00, eq: false}, {q: b01, eq: false}, {q: b02, eq: false}, "
                 "{q: loai, eq: l4}, {q: so_trang, gt: 10}]}\n"
                 + "".join(f"  - id: giay-{i}\n    group: submit\n    name: Giấy {i}\n    originals: 1\n"
                           f"    when: {{q: b{i:02d}, eq: true}}\n" for i in range(10))
                 + "  - id: nhieu-trang\n    group: submit\n    name: Bản dài\n    originals: 1\n"
                   "    when: {q: so_trang, gt: 20}\n")
    fees = ("  - name: Lệ phí\n    kind: fixed\n    amount: 10000\n    source: Luật\n    when: {q: b09, eq: false}\n"
            "  - name: Lệ phí giảm\n    kind: fixed\n    amount: 5000\n    source: Luật\n    when: {q: b09, eq: true}\n")
    cat = make_catalogue(tmp_path)
    (cat / "procedures/ho-tich/khai-sinh.yaml").write_text(_procedure_with(questions, documents, fees), encoding="utf-8")
    result = check_catalogue(cat, today=TODAY)
    found = [p.format() for p in result.problems if "khai-sinh" in p.path]
    assert not [m for m in found if "never hold" in m or "combinations" in m or "no document" in m
                or "no fee" in m], found
    assert result.errors == 0, found
    # The same procedure with a paper that really can never be needed, and a gap in the fees: found.
    impossible = documents + ("  - id: khong-bao-gio\n    group: submit\n    name: Không bao giờ\n    originals: 1\n"
                              "    when: {all_of: [{q: so_trang, gt: 30}, {q: so_trang, lt: 31}, {q: b05, eq: true}]}\n")
    gap = fees.replace("    when: {q: b09, eq: true}\n", "    when: {all_of: [{q: b09, eq: true}, {q: loai, ne: l3}]}\n")
    (cat / "procedures/ho-tich/khai-sinh.yaml").write_text(_procedure_with(questions, impossible, gap), encoding="utf-8")
    found = [p.format() for p in check_catalogue(cat, today=TODAY).problems if "khai-sinh" in p.path]
    assert not [m for m in found if "never hold" in m], found  # 30 < so_trang < 31 holds for 30.5 pages
    assert any("no fee entry applies on the in_person channel when b00=true, b01=true, b02=true, b03=true, "
               "b04=true, b05=true, b06=true, b07=true, b08=true, b09=true, loai=l3, so_trang=1;" in m for m in found), found
    impossible = impossible.replace("{q: so_trang, lt: 31}", "{q: so_trang, lt: 30}")
    (cat / "procedures/ho-tich/khai-sinh.yaml").write_text(_procedure_with(questions, impossible, gap), encoding="utf-8")
    found = [p.format() for p in check_catalogue(cat, today=TODAY).problems if "khai-sinh" in p.path]
    assert sum("never hold" in m for m in found) == 1, found
