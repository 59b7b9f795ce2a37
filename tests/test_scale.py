"""Output grows linearly: page size does not depend on how many procedures the catalogue has."""

import re

from helpers import ROOT, TODAY
from thutuc.website.build import build
from thutuc.catalogue.synthetic import make_catalogue


def _site(tmp_path, n):
    cat = make_catalogue(ROOT / "catalogue", tmp_path / f"cat-{n}", n)
    build(cat, tmp_path / f"public-{n}", gen=tmp_path / f"gen-{n}", as_of=TODAY, pdfs=False)
    return tmp_path / f"public-{n}"


def test_page_size_and_nav_do_not_grow_with_the_catalogue(tmp_path):
    small, large = _site(tmp_path, 40), _site(tmp_path, 240)
    sizes = {}
    for name, site in (("small", small), ("large", large)):
        pages = sorted((site / "thu-tuc").glob("*/index.html"))
        sizes[name] = sum(p.stat().st_size for p in pages) / len(pages)
        html = pages[0].read_text(encoding="utf-8")
        nav = html[html.index('<nav class="md-nav md-nav--primary"'):]
        nav = nav[: nav.index("</nav>")]
        assert "thu-tuc/" not in nav
    assert abs(sizes["large"] - sizes["small"]) / sizes["small"] < 0.10, sizes
    # The same procedure's page is the same size in both (only the search index and lists grow).
    same = "dang-ky-khai-sinh/index.html"
    a, b = (small / "thu-tuc" / same).stat().st_size, (large / "thu-tuc" / same).stat().st_size
    assert abs(a - b) / a < 0.02
    index_small = (small / "search/search_index.json").stat().st_size / 40
    index_large = (large / "search/search_index.json").stat().st_size / 240
    assert index_large < index_small * 1.1
    assert re.search(r'"keywords"', (large / "search/search_index.json").read_text(encoding="utf-8"))
