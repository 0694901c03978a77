"""The proof browser in a real headless Chromium, driven by Playwright from file:// URLs.

Skipped only when Debian's ``/usr/bin/chromium`` or the ``playwright`` package is missing
(CI installs both).  Screenshots go to ``tests/output/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "tests" / "output" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, dict]:
    from genlogic.explore.goals import prove_goals
    from genlogic.export import export_all
    from genlogic.mpl.theory import load
    from genlogic.proof.graph import write_graph
    theory = load(ROOT / "axioms" / "peano.mpl")
    result = prove_goals(theory, theory.goals_from(ROOT / "axioms" / "peano_goals.mpl"))
    run = tmp_path_factory.mktemp("browser_site")
    write_graph(run / "proof_graph.json", result.graph)
    export_all(run)
    return run, json.loads((run / "proof_graph.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, uncaught exceptions and network requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors, tab.requests = [], []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    context.close()


def _url(path: Path, fragment: str = "") -> str:
    return path.resolve().as_uri() + (f"#{fragment}" if fragment else "")


def _shot(tab, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _in_view(tab, selector: str) -> bool:
    return tab.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""")


def _chain(theorem: dict, step: int) -> set[int]:
    premises = {s["id"]: s["premises"] for s in theorem["steps"]}
    seen, stack = set(), [step]
    while stack:
        for p in premises[stack.pop()]:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def test_every_page_loads_without_console_errors_or_network(page, site):
    run, _ = site
    for path in [run / "index.html", run / "glossary.html", run / "graph.svg",
                 *sorted((run / "theorems").glob("*.html"))]:
        page.goto(_url(path))
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests


def test_index_search_filters_rows_as_you_type(page, site):
    run, graph = site
    page.goto(_url(run / "index.html"))
    _shot(page, "index", full_page=True)
    rows = page.locator("#theorem-table tbody tr")
    assert rows.count() == len(graph["theorems"])
    search = page.locator("#search")
    assert search.is_visible()
    search.press_sequentially("mul_")
    expected = [t["id"] for t in graph["theorems"] if "mul_" in t["id"]]
    visible = page.locator("#theorem-table tbody tr:visible td.name")
    assert sorted(visible.all_inner_texts()) == sorted(expected)
    search.press_sequentially("comm")       # several letters more: "mul_comm"
    assert visible.all_inner_texts() == ["mul_comm"]
    _shot(page, "index_search")
    search.fill("")
    search.press_sequentially("no such theorem")
    assert visible.count() == 0 and page.locator(".no-match").is_visible()
    search.fill("")
    search.dispatch_event("input")
    assert visible.count() == len(graph["theorems"])
    assert page.errors == []


def test_theorem_link_opens_its_page(page, site):
    run, graph = site
    page.goto(_url(run / "index.html"))
    page.click('#theorem-table a[href="theorems/add_comm.html"]')
    page.wait_for_load_state()
    assert page.url.endswith("/theorems/add_comm.html")
    assert page.locator("h1").inner_text().startswith("add_comm")
    theorem = next(t for t in graph["theorems"] if t["id"] == "add_comm")
    assert page.locator("details.step").count() == len(theorem["steps"])
    _shot(page, "theorem_add_comm")
    page.click('.used-by a[href="mul_succ_left.html"]')
    page.wait_for_load_state()
    assert page.url.endswith("/theorems/mul_succ_left.html")
    assert page.errors == []


def test_premise_link_jumps_to_its_step(page, site):
    run, graph = site
    theorem = next(t for t in graph["theorems"] if t["id"] == "add_comm")
    last = theorem["steps"][-1]
    page.goto(_url(run / "theorems" / "add_comm.html", f"step-{last['id']}"))
    # the premise link that jumps furthest up the page
    user, far = max(((s, p) for s in theorem["steps"] for p in s["premises"]),
                    key=lambda pair: pair[0]["id"] - pair[1])
    assert user["id"] - far > 30
    page.locator(f"#step-{user['id']}").scroll_into_view_if_needed()
    assert not _in_view(page, f"#step-{far}")
    page.click(f'#step-{user["id"]} a.premise[href="#step-{far}"]')
    page.wait_for_function(f"location.hash === '#step-{far}'")
    assert _in_view(page, f"#step-{far}")
    assert page.eval_on_selector(f"#step-{far}", "el => el.matches(':target')")
    # a premise inside a collapsed sub-proof: the link opens it
    intro = next(s for s in theorem["steps"] if s["rule"] == "implies-intro")
    block, inner = intro["extra"]["block"], intro["premises"][0]
    page.click(f"#ctx-{block} > summary")
    assert not page.locator(f"#step-{inner}").is_visible()
    page.click(f'#step-{intro["id"]} a.premise[href="#step-{inner}"]')
    page.wait_for_function(f"location.hash === '#step-{inner}'")
    assert page.locator(f"#step-{inner}").is_visible() and _in_view(page, f"#step-{inner}")
    _shot(page, "premise_jump")
    assert page.errors == []


def test_hover_highlights_the_dependency_chain(page, site):
    run, graph = site
    theorem = next(t for t in graph["theorems"] if t["id"] == "add_comm")
    inner = [s for s in theorem["steps"] if s["context"] != 0 and s["premises"]]
    step = max(inner, key=lambda s: len(_chain(theorem, s["id"])))
    chain = _chain(theorem, step["id"])
    page.goto(_url(run / "theorems" / "add_comm.html"))
    page.hover(f"#step-{step['id']} > summary .formula")
    highlighted = set(page.eval_on_selector_all(
        "details.step.hl-dep", "els => els.map(e => Number(e.dataset.step))"))
    assert highlighted == chain
    assert page.eval_on_selector(f"#step-{step['id']}", "el => el.classList.contains('hl-focus')")
    _shot(page, "hover_chain")
    page.hover("h1")
    assert page.locator(".hl-dep, .hl-focus").count() == 0
    assert page.errors == []


def test_sub_proofs_collapse_and_expand(page, site):
    run, graph = site
    theorem = next(t for t in graph["theorems"] if t["id"] == "add_comm")
    context = next(c for c in theorem["contexts"] if c["label"] == "induction step")
    inside = next(s["id"] for s in theorem["steps"] if s["context"] == context["id"])
    page.goto(_url(run / "theorems" / "add_comm.html"))
    summary = page.locator(f"#ctx-{context['id']} > summary")
    assert "Induction step" in summary.inner_text()
    assert page.locator(f"#step-{inside}").is_visible()
    summary.click()
    assert not page.locator(f"#step-{inside}").is_visible()
    assert page.eval_on_selector(f"#ctx-{context['id']}", "el => !el.open")
    summary.scroll_into_view_if_needed()
    _shot(page, "sub_proof_collapsed")
    summary.click()
    assert page.locator(f"#step-{inside}").is_visible()
    page.click('.proof-tools button[data-action="collapse"]')
    assert page.eval_on_selector_all("details.subproof", "els => els.every(e => !e.open)")
    page.mouse.move(0, 0)
    page.evaluate("document.getElementById('ctx-1').scrollIntoView({block: 'center'})")
    _shot(page, "all_collapsed")
    page.click('.proof-tools button[data-action="expand"]')
    assert page.eval_on_selector_all("details.subproof", "els => els.every(e => e.open)")
    # a click on a step shows its substitution
    with_subst = next(s for s in theorem["steps"] if s["substitution"])
    page.click(f"#step-{with_subst['id']} > summary .formula")
    details = page.locator(f"#step-{with_subst['id']} .step-details")
    assert details.is_visible() and "↦" in details.inner_text()
    _shot(page, "step_details")
    assert page.errors == []


def test_dependency_graph_links_open_theorem_pages(page, site):
    run, graph = site
    for path in (run / "index.html", run / "graph.svg"):
        page.goto(_url(path))
        hrefs = page.eval_on_selector_all("svg a", "els => els.map(a => a.getAttribute('href'))")
        assert sorted(hrefs) == sorted(f"theorems/{t['id']}.html" for t in graph["theorems"])
        assert all((run / h).is_file() for h in hrefs)
    _shot(page, "graph_svg")
    page.goto(_url(run / "index.html", "graph"))
    page.click('svg a[href="theorems/mul_comm.html"]')
    page.wait_for_load_state()
    assert page.url.endswith("/theorems/mul_comm.html")
    assert page.errors == []


def test_pages_read_without_javascript(browser, site):
    run, _ = site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(_url(run / "theorems" / "add_comm.html"))
    assert tab.locator("details.step").first.is_visible()
    assert tab.eval_on_selector_all("details.subproof", "els => els.every(e => e.open)")
    assert not tab.locator(".proof-tools").is_visible()
    tab.goto(_url(run / "index.html"))
    assert not tab.locator("#search").is_visible()
    assert tab.locator("#theorem-table tbody tr:visible").count() > 0
    context.close()


def test_glossary_and_narrow_screen(browser, site):
    run, _ = site
    context = browser.new_context(viewport={"width": 420, "height": 860})
    tab = context.new_page()
    tab.goto(_url(run / "theorems" / "add_comm.html", "step-30"))
    _shot(tab, "theorem_narrow")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(_url(run / "glossary.html", "rule-modus-ponens"))
    _shot(tab, "glossary")
    assert tab.locator("#rule-modus-ponens").is_visible()
    context.close()


@pytest.fixture(scope="module")
def showcase_site(tmp_path_factory) -> tuple[Path, dict]:
    """A site generated from the committed Peano showcase graph (348 theorems; the most
    used lemma is cited by about 200 others)."""
    from genlogic.export import export_all
    run = tmp_path_factory.mktemp("showcase_site")
    shutil.copy(ROOT / "proofs_out" / "peano" / "proof_graph.json", run / "proof_graph.json")
    export_all(run)
    return run, json.loads((run / "proof_graph.json").read_text(encoding="utf-8"))


def test_pages_are_no_wider_than_the_window(page, site, showcase_site):
    """Issue 22: a long "used by" list, long statements and steps wrap inside 1280 px."""
    for run, graph in (site, showcase_site):
        used_by: dict[str, int] = {}
        for t in graph["theorems"]:
            for d in t["dependencies"]:
                used_by[d] = used_by.get(d, 0) + 1
        widest = max(used_by, key=used_by.get)
        page.goto(_url(run / "index.html"))
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        href = page.get_attribute(f'#theorem-table td.name a:text-is("{widest}")', "href")
        page.goto(_url(run / href))
        links = page.locator(".used-by a.theorem-link")
        assert links.count() == used_by[widest]
        width = page.evaluate("window.innerWidth")
        assert width == 1280
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        box = page.locator(".used-by").bounding_box()
        assert box["x"] + box["width"] <= width
    assert used_by[widest] > 100                      # the showcase's list is long enough
    _shot(page, "widest_used_by")
    assert page.errors == []
