import cProfile, pstats, time
import pytest
from reelearn.packs.content import load_page_content
from reelearn.packs.rendering import render_html, html_to_pdf

@pytest.mark.django_db
def test_prof(tier_page):
    c = load_page_content(page=tier_page, edition="teacher", paper="a4")
    for i in range(3):
        t = time.monotonic(); html = render_html(c); t1 = time.monotonic(); pdf, n = html_to_pdf(html, paper="a4"); t2 = time.monotonic()
        print("render", round(t1-t, 3), "pdf", round(t2-t1, 3), n)
    pr = cProfile.Profile(); pr.enable(); html_to_pdf(html, paper="a4"); pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
