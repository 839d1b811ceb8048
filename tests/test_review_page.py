"""The review page in a real headless Chromium: it loads, filters narrow the table, and
a click on a fact scrolls to its highlighted evidence."""
from __future__ import annotations

import pytest

from conftest import CORPUS, RULES, chrome

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    from zhfacts.engine import ingest
    from zhfacts.reviewpage import write_review_page
    from zhfacts.store import Store

    out = tmp_path_factory.mktemp("review")
    ingest([str(CORPUS)], out, RULES, workers=1, progress=False)
    store = Store(out / "zhfacts.sqlite")
    store.save_reviews([{"fact_id": store.db.execute("SELECT fact_id FROM facts LIMIT 1").fetchone()[0],
                         "review": "ok", "note": "checked"}])
    path = write_review_page(store, out / "review.html")
    store.close()
    return path


@pytest.fixture(scope="module")
def browser():
    driver = chrome()
    yield driver
    driver.quit()


def visible_rows(driver):
    return [r for r in driver.find_elements("css selector", "#facts tbody tr") if r.is_displayed()]


def test_page_loads_with_every_fact(browser, page_path):
    from zhfacts.store import Store

    browser.get(page_path.as_uri())
    store = Store(page_path.parent / "zhfacts.sqlite")
    n = store.counts()["facts"]
    store.close()
    assert browser.title == "zhfacts review"
    assert len(visible_rows(browser)) == n > 0
    assert browser.find_element("id", "shown").text == str(n)


@pytest.mark.parametrize("select,value,column", [("f-metric", "beds", 2), ("f-status", "planned", 6)])
def test_filter_narrows_the_table(browser, page_path, select, value, column):
    from selenium.webdriver.support.ui import Select

    browser.get(page_path.as_uri())
    before = len(visible_rows(browser))
    Select(browser.find_element("id", select)).select_by_value(value)
    rows = visible_rows(browser)
    assert 0 < len(rows) < before
    assert {r.find_elements("tag name", "td")[column].text for r in rows} == {value}


def test_review_state_filter(browser, page_path):
    from selenium.webdriver.support.ui import Select

    browser.get(page_path.as_uri())
    Select(browser.find_element("id", "f-review")).select_by_value("ok")
    rows = visible_rows(browser)
    assert len(rows) == 1 and rows[0].find_elements("tag name", "td")[9].text == "ok"


def test_click_scrolls_to_highlighted_evidence(browser, page_path):
    browser.get(page_path.as_uri())
    links = browser.find_elements("css selector", "a.fact-link")
    link = links[-1]  # the last fact: its evidence is far down the page
    fact_id = link.get_attribute("data-fact")
    evidence = link.find_element("xpath", "../..").find_elements("tag name", "td")[7].text
    assert browser.execute_script("return window.scrollY") < 50
    link.click()
    marks = browser.find_elements("css selector", f'mark.active[data-facts~="{fact_id}"]')
    assert marks and "".join(m.text for m in marks).replace("\n", "") == evidence.replace("\n", "")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", marks[0])
    height = browser.execute_script("return window.innerHeight")
    assert browser.execute_script("return window.scrollY") > 500
    assert 0 <= top <= height


def test_each_fact_shows_where_and_when(browser, page_path):
    browser.get(page_path.as_uri())
    head = [th.text for th in browser.find_elements("css selector", "#facts thead th")]
    assert head[-2:] == ["where", "when"]
    rows = browser.find_elements("css selector", "#facts tbody tr")
    places = [r.find_elements("tag name", "td")[11].text for r in rows]
    periods = [r.find_elements("tag name", "td")[12].text for r in rows]
    assert any(p.startswith("福建省") for p in places) and all(periods)  # the seeds are dated
