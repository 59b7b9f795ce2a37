"""The bundled catalogue: real procedures, each file naming its schema, required ones present."""

import re
from collections import Counter

from helpers import ROOT, TODAY
from thutuc.catalogue.check import check_catalogue

CATALOGUE = ROOT / "catalogue"
REQUIRED_CODES = {  # from the issue: the procedures every office of this kind publishes
    "1.001193", "1.000894", "1.000656", "2.000635", "2.000815", "2.000884", "1.013225",
    "1.001612", "1.013978", "1.013831", "1.007277", "1.013133", "1.013170",
}


def _result():
    return check_catalogue(CATALOGUE, display_root="catalogue", today=TODAY)


def test_no_errors():
    errors = [p.format() for p in _result().problems if p.severity == "error"]
    assert errors == []


def test_size_and_breadth():
    procs = _result().index.ids("procedures")
    fields = Counter(r.data["field"] for r in procs.values())
    assert len(procs) >= 30
    assert len(fields) >= 7


def test_required_procedures_present():
    procs = _result().index.ids("procedures").values()
    codes = {r.data.get("code") for r in procs}
    assert REQUIRED_CODES <= codes
    ids = {r.data["id"] for r in procs}
    assert "du-tuyen-giao-vien" in ids  # teacher recruitment has no national code


def test_every_procedure_has_legal_basis_and_sources():
    for rec in _result().index.ids("procedures").values():
        assert rec.data["legal_basis"], rec.data["id"]
        assert rec.data.get("sources"), rec.data["id"]


def test_every_file_names_its_schema():
    for f in sorted(CATALOGUE.rglob("*.yaml")):
        first = f.read_text(encoding="utf-8").splitlines()[0]
        m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert m, f
        assert (f.parent / m.group(1)).resolve().is_file(), f


def test_unknown_facts_are_warnings_not_silence():
    """Every fee of kind unknown and time of unit unknown shows up in the report."""
    result = _result()
    unknown_fees = sum(1 for r in result.index.ids("procedures").values()
                       for fee in r.data["fees"] if fee["kind"] == "unknown")
    reported = sum("fee amount unknown" in p.message for p in result.problems)
    assert reported == unknown_fees
