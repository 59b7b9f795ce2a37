"""Page layouts live in templates (tool/thutuc/templates/): a changed template changes the page
without a code change, and every value a template prints is escaped for its context."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from jinja2 import TemplateAssertionError
from markupsafe import Markup

from helpers import ROOT
from thutuc import layout
from thutuc.catalogue.model import load
from thutuc.website import pages

AS_OF = dt.date(2026, 12, 1)
HOSTILE = '<img src=x onerror=alert(1)> [a](javascript:alert(1)) {: onclick=alert(1) } *b* `c` &amp;'


@pytest.fixture(scope="module")
def cat():
    result, cat = load(ROOT / "catalogue", today=AS_OF)
    assert cat is not None, result
    return cat


@pytest.fixture
def designer_copy(tmp_path, monkeypatch):
    """A designer's copy of the templates, used instead of the package's."""
    copy = tmp_path / "templates"
    shutil.copytree(layout.TEMPLATES, copy)
    monkeypatch.setattr(layout, "TEMPLATES", copy)
    return copy


def test_a_changed_template_changes_the_page_without_code(cat, designer_copy):
    proc = cat.procedures["dang-ky-khai-sinh"]
    before = pages.procedure_page(proc, cat, AS_OF, None)
    template = designer_copy / "site" / "procedure.md.j2"
    text = template.read_text(encoding="utf-8")
    assert "## Lệ phí {#le-phi}" in text
    template.write_text(text.replace("## Lệ phí {#le-phi}", "## Phí và lệ phí phải nộp {#le-phi}"), encoding="utf-8")
    after = pages.procedure_page(proc, cat, AS_OF, None)
    assert "## Lệ phí {#le-phi}" in before and "## Lệ phí {#le-phi}" not in after
    assert after == before.replace("## Lệ phí {#le-phi}", "## Phí và lệ phí phải nộp {#le-phi}")
    # a partial too: the agency block on every page that shows one
    partial = designer_copy / "site" / "partials" / "agency.md.j2"
    partial.write_text(partial.read_text(encoding="utf-8").replace("Địa chỉ: ", "Trụ sở: "), encoding="utf-8")
    home = pages.home_page(cat)
    assert "Trụ sở: " in home and "Trụ sở: " in pages.procedure_page(proc, cat, AS_OF, None)


def test_the_package_templates_are_used_again_when_the_copy_is_gone(cat, designer_copy, monkeypatch):
    (designer_copy / "site" / "home.md.j2").write_text("# {{ office['name'] }}\n", encoding="utf-8")
    assert pages.home_page(cat) == f"# {pages.escaping.markdown(cat.office['name'])}\n"
    monkeypatch.undo()
    assert pages.home_page(cat).startswith("---\ntitle: ")


def test_a_hostile_value_is_escaped_in_every_context(designer_copy):
    page = designer_copy / "site" / "probe.md.j2"
    page.write_text("{{ v }}|{{ v|html_text }}|{{ v|html_text|json }}|{{ d|script_json }}|{{ u|url }}|"
                    "{{ v ~ '!' }}|{{ [v, v]|join(', ') }}|{{ v|upper }}|{{ n }}|{{ ours }}\n", encoding="utf-8")
    out = layout.render_site("probe.md.j2", v=HOSTILE, d={"x": "</script><!--"}, u='https://e.example/a"b c',
                             n=3, ours=Markup("<br>"))
    md, html_text, front, script, url, joined, concat, upper, number, ours = out.rstrip("\n").split("|")
    assert md == pages.escaping.markdown(HOSTILE)
    for text in (md, joined, concat, upper):  # no character Markdown or HTML could read survives
        assert not set(text) & set("<>[](){}*`\"'") and "&amp;" not in text, text
    assert html_text == pages.escaping.html_text(HOSTILE) and "<" not in html_text
    assert front.startswith('"') and "<" not in front
    assert "</script" not in script and "<!--" not in script
    assert url == "https://e.example/a%22b%20c"
    assert (number, ours) == ("3", "<br>")


def test_xml_templates_escape_for_xml(designer_copy):
    (designer_copy / "site" / "probe.xml.j2").write_text("<t>{{ v }}</t><c>{% filter xml %}<b>{{ v|html }}</b>"
                                                         "{% endfilter %}</c>\n", encoding="utf-8")
    out = layout.render_site("probe.xml.j2", v="<a> & 'b'")
    assert out == "<t>&lt;a&gt; &amp; 'b'</t><c>&lt;b&gt;&amp;lt;a&amp;gt; &amp;amp; &amp;#x27;b&amp;#x27;&lt;/b&gt;</c>\n"


@pytest.mark.parametrize("name", ["safe", "e", "escape", "forceescape", "tojson", "urlize", "xmlattr"])
def test_no_filter_prints_a_value_raw_or_escaped_for_the_wrong_context(designer_copy, name):
    (designer_copy / "site" / "probe.md.j2").write_text(f"{{{{ v|{name} }}}}\n", encoding="utf-8")
    with pytest.raises(TemplateAssertionError):
        layout.render_site("probe.md.j2", v=HOSTILE)


def test_a_missing_or_none_value_is_an_error_not_a_blank(designer_copy):
    (designer_copy / "site" / "probe.md.j2").write_text("{{ missing }}\n", encoding="utf-8")
    with pytest.raises(Exception, match="missing"):
        layout.render_site("probe.md.j2")
    (designer_copy / "site" / "probe.md.j2").write_text("{{ v }}\n", encoding="utf-8")
    with pytest.raises(TypeError, match="None"):
        layout.render_site("probe.md.j2", v=None)


def test_templates_ship_with_the_package():
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "templates/**/*" in data["tool"]["setuptools"]["package-data"]["thutuc"]
    assert any(d.startswith("jinja2") for d in data["project"]["dependencies"])
    assert (layout.TEMPLATES / "site" / "procedure.md.j2").is_file()


# --- the checklist's HTML and Markdown ------------------------------------------------------------

def _slip():
    from thutuc.checklist.slips import Fields, Heading, Para, Qr, Signatures, Slip, Table, Title

    return Slip((Title(HOSTILE, HOSTILE), Qr("https://example.org/thu-tuc/x/", HOSTILE), Heading(HOSTILE),
                 Para(HOSTILE, bold=True, italic=True), Fields(((HOSTILE, HOSTILE),)),
                 Table(((HOSTILE, 1.0),), ((HOSTILE,),), checkbox=True), Signatures(((HOSTILE, HOSTILE),))),
                HOSTILE, HOSTILE)


def test_checklist_html_and_markdown_escape_every_value():
    from thutuc.checklist import render
    from thutuc.escaping import markdown_file

    page = render.to_html(_slip())
    assert "<img" not in page and "&amp;amp;" in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") == 13  # every value, title and footer too
    md = render.to_md(_slip())
    assert "<img" not in md and not re.search(r"(?<!\\)\]\(|(?<!\\)\{:", md)
    assert f"# {markdown_file(HOSTILE)}\n" in md and "<https://example.org/thu-tuc/x/>" in md


def test_a_changed_checklist_template_changes_the_slip_without_code(designer_copy):
    from thutuc.checklist import render

    before = render.to_html(_slip())
    css = designer_copy / "checklist" / "slip.css"
    css.write_text(css.read_text(encoding="utf-8").replace("color:#111", "color:#000"), encoding="utf-8")
    md = designer_copy / "checklist" / "slip.md.j2"
    md.write_text(md.read_text(encoding="utf-8").replace("## {{ block.text }}", "### {{ block.text }}"), encoding="utf-8")
    assert render.to_html(_slip()) == before.replace("color:#111", "color:#000")
    assert "\n### " in render.to_md(_slip())


def test_the_pdf_writer_has_one_function_per_block_kind():
    from thutuc.checklist import render, slips

    kinds = {slips.Title, slips.Heading, slips.Para, slips.Fields, slips.Table, slips.NationalHeader,
             slips.Signatures, slips.Qr}
    assert set(render.PDF_BLOCKS) == kinds
    assert render.to_pdf(_slip().__class__((slips.Heading("Giấy tờ"), slips.Para("Mang theo", bold=True)), "x", "y"),
                         dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)).startswith(b"%PDF-")
