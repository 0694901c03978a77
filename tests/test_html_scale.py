"""Issue 22: the proof browser at 348 theorems (the committed Peano showcase graph).

The index page draws the essential theorems, not all 348; each theorem page shows its own
neighbourhood; the filter finds theorems by law name ("comm") and by statement written
with any variable names ("a + b = b + a", "x*y = y*x").  The browser half runs in Debian's
headless Chromium through Playwright (skipped when either is missing); screenshots go to
``tests/output/screenshots/``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from genlogic.export import export_all
from genlogic.export.search import law_names, statement_keys
from genlogic.mpl.readable import term_text
from genlogic.mpl.theory import load

ROOT = Path(__file__).resolve().parents[1]
SHOWCASE = ROOT / "proofs_out" / "peano" / "proof_graph.json"
SHOTS = ROOT / "tests" / "output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking"]
PEANO_FIXED = {"N", "i0", "i1", "s", "+", "*"}


@pytest.fixture(scope="module")
def showcase(tmp_path_factory) -> tuple[Path, dict]:
    run = tmp_path_factory.mktemp("showcase")
    shutil.copy(SHOWCASE, run / "proof_graph.json")
    export_all(run)
    return run, json.loads(SHOWCASE.read_text(encoding="utf-8"))


def _by_readable(graph: dict, text: str) -> str:
    return next(t["id"] for t in graph["theorems"] if t["readable"] == text)


def _used_by(graph: dict) -> dict[str, list[str]]:
    users: dict[str, list[str]] = {t["id"]: [] for t in graph["theorems"]}
    for t in graph["theorems"]:
        for d in t["dependencies"]:
            users[d].append(t["id"])
    return users


# -- the pages, as files ---------------------------------------------------------------------
def test_the_showcase_is_large(showcase):
    _, graph = showcase
    assert len(graph["theorems"]) >= 348
    assert max(len(u) for u in _used_by(graph).values()) > 200


def test_index_draws_the_essential_theorems_and_graph_svg_all(showcase):
    run, graph = showcase
    index = (run / "index.html").read_text(encoding="utf-8")
    drawn = re.findall(r'<a class="node[^"]*" href="theorems/([^"]+)\.html"', index)
    essential = [t["id"] for t in graph["theorems"] if t["essential"]]
    assert sorted(drawn) == sorted(essential) and 0 < len(essential) < 20
    assert 'href="graph.svg"' in index
    svg = (run / "graph.svg").read_text(encoding="utf-8")
    assert len(re.findall(r'<a class="node', svg)) == len(graph["theorems"])
    # an arrow between essential theorems stands for a chain of uses through others
    reach = {}
    for t in graph["theorems"]:
        reach[t["id"]] = set(t["dependencies"]).union(*(reach[d] for d in t["dependencies"]))
    arrows = set(re.findall(r'<path class="edge" data-from="([^"]+)" data-to="([^"]+)"', index))
    assert arrows
    assert all(a in reach[b] for a, b in arrows)
    for b in essential:                   # every use between essential ones is shown or implied
        for a in essential:
            if a in reach[b]:
                assert (a, b) in arrows or any((a, m) in arrows or a in reach[m]
                                               for m in essential if (m, b) in arrows)


def test_a_theorem_page_shows_its_neighbourhood(showcase):
    run, graph = showcase
    users = _used_by(graph)
    hub = max(users, key=lambda i: len(users[i]))
    page = (run / "theorems" / f"{hub}.html").read_text(encoding="utf-8")
    figure = page[page.index('<figure class="neighbours">'):page.index("</figure>")]
    theorem = next(t for t in graph["theorems"] if t["id"] == hub)
    uses_band = figure[figure.index('class="band uses"'):figure.index('class="band self"')]
    users_band = figure[figure.index('class="band users"'):]
    assert re.findall(r'href="([^"]+)\.html"', uses_band) == theorem["dependencies"]
    shown = re.findall(r'class="node [^"]*" href="([^"]+)\.html"', users_band)
    assert len(shown) == 12 and set(shown) <= set(users[hub])
    essential_users = [u for u in users[hub] if
                       next(t for t in graph["theorems"] if t["id"] == u)["essential"]]
    assert set(essential_users) <= set(shown)       # the essential ones come first
    assert f"and {len(users[hub]) - 12} more" in users_band
    assert 'aria-current="page"' in figure
    # a theorem nobody uses says so
    lonely = next(i for i, u in users.items() if not u)
    page = (run / "theorems" / f"{lonely}.html").read_text(encoding="utf-8")
    assert re.search(r'class="band users"><span class="muted">no other theorem', page)


def test_law_names_are_shown_and_searchable(showcase):
    run, graph = showcase
    index = (run / "index.html").read_text(encoding="utf-8")
    add_comm = _by_readable(graph, "∀a b. a + b = b + a")
    mul_comm = _by_readable(graph, "∀a b. a * b = b * a")
    rows = {m.group(1): m.group(0) for m in
            re.finditer(r'<tr data-search="[^"]*"[^>]*>\s*<td class="num">\d+</td>\s*'
                        r'<td class="name"><a href="theorems/([^"]+)\.html"', index)}
    assert len(rows) == len(graph["theorems"])
    commutative = sorted(i for i, row in rows.items() if "comm" in row.split('"')[1])
    assert commutative == sorted([add_comm, mul_comm])
    page = (run / "theorems" / f"{add_comm}.html").read_text(encoding="utf-8")
    assert '<span class="tag law">commutativity of +</span>' in page


def test_law_names():
    signature = load(ROOT / "axioms" / "peano.mpl").signature
    cases = {
        "∀a b. a + b = b + a": ["commutativity of +"],
        "∀a b c. a + b + c = a + (b + c)": ["associativity of +"],
        "∀a b c. a * (b * c) = a * b * c": ["associativity of *"],
        "∀a. a + i0 = a": ["right identity of +: i0"],
        "∀a. i0 * a = i0": ["left zero of *: i0"],
        "∀a b c. a * b + a * c = a * (b + c)": ["left distributivity of * over +"],
        "∀a b c. (a + b) * c = a * c + b * c": ["right distributivity of * over +"],
        "∀a b. s(a) + b = s(a + b)": [],              # no named law
        "∀a b. a + b = b + a → a = b": [],            # a hypothesis: not a law
        "∀a b. a + b = a + b + i0 +": [],             # does not parse
    }
    for text, expected in cases.items():
        assert law_names(text, signature) == expected, text
    assert law_names("∀a b. a + b = b + a", None) == []


# -- statement keys ------------------------------------------------------------------------
def test_statement_keys_tell_statements_apart_in_the_showcase(showcase):
    _, graph = showcase
    owners: dict[str, set[str]] = {}
    for t in graph["theorems"]:
        for key in statement_keys(t["readable"], PEANO_FIXED):
            owners.setdefault(key, set()).add(t["id"])
    assert all(len(ids) == 1 for ids in owners.values())
    add_comm = _by_readable(graph, "∀a b. a + b = b + a")
    for query in ("a + b = b + a", "x+y = y+x", "forall p q. q + p = p + q"):
        assert owners[statement_keys(query, PEANO_FIXED)[0]] == {add_comm}, query


names = st.sampled_from(["a", "b", "c", "x", "y", "n2", "k'"])
terms = st.recursive(names, lambda inner: st.one_of(
    st.tuples(st.just("s"), st.tuples(inner)),
    st.tuples(st.sampled_from(["+", "*"]), st.tuples(inner, inner)),
    st.just("i0")), max_leaves=6)


def _text(left, right) -> str:
    ops = {"s", "+", "*"}
    return f"{term_text(left, ops)} = {term_text(right, ops)}"


def _rename(term, mapping):
    if isinstance(term, str):
        return mapping.get(term, term)
    op, args = term
    return (op, tuple(_rename(a, mapping) for a in args))


@given(terms, terms, st.permutations(["a", "b", "c", "x", "y", "n2", "k'"]))
def test_keys_do_not_depend_on_variable_names(left, right, order):
    # renaming the variables one-to-one (and writing a ∀ in front) keeps every key
    mapping = dict(zip(["a", "b", "c", "x", "y", "n2", "k'"], order))
    text = _text(left, right)
    renamed = _text(_rename(left, mapping), _rename(right, mapping))
    assert statement_keys(text, PEANO_FIXED) == statement_keys(f"∀{' '.join(order)}. {renamed}",
                                                               PEANO_FIXED)


@given(terms, terms)
def test_keys_do_not_depend_on_the_side_of_an_equation(left, right):
    assert set(statement_keys(_text(left, right), PEANO_FIXED)) == \
        set(statement_keys(_text(right, left), PEANO_FIXED))


def _skeleton(term):
    """The term with every variable written v."""
    if isinstance(term, str):
        return term if term == "i0" else "v"
    return (term[0], tuple(_skeleton(a) for a in term[1]))


@given(terms, terms, terms, terms)
def test_equations_that_share_a_key_have_the_same_shape(l1, r1, l2, r2):
    # keys hide names only: equations sharing one are the same up to names and sides
    if set(statement_keys(_text(l1, r1), PEANO_FIXED)) & \
            set(statement_keys(_text(l2, r2), PEANO_FIXED)):
        first, second = (_skeleton(l1), _skeleton(r1)), (_skeleton(l2), _skeleton(r2))
        assert first == second or first == second[::-1]


@given(st.text(max_size=60), st.sets(st.text(min_size=1, max_size=3), max_size=4))
def test_keys_of_any_text(text, fixed):
    keys = statement_keys(text, fixed)
    assert keys and all(isinstance(k, str) for k in keys) and len(set(keys)) == len(keys)


# -- in the browser --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def _visible_ids(page) -> list[str]:
    return page.locator("#theorem-table tbody tr:visible td.name").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_theorem_page_is_no_wider_than_the_window(tab, showcase, width):
    run, graph = showcase
    users = _used_by(graph)
    hub = max(users, key=lambda i: len(users[i]))
    tab.set_viewport_size({"width": width, "height": 900})
    for page in (run / "theorems" / f"{hub}.html", run / "index.html"):
        tab.goto(page.resolve().as_uri())
        assert tab.evaluate("window.innerWidth") == width
        assert tab.evaluate("document.scrollingElement.scrollWidth") <= width, page.name
    tab.goto((run / "theorems" / f"{hub}.html").resolve().as_uri())
    figure = tab.locator("figure.neighbours").bounding_box()
    assert figure["x"] >= 0 and figure["x"] + figure["width"] <= width
    assert tab.locator(".used-by a.theorem-link").count() == len(users[hub])
    tab.locator("section.neighbourhood").scroll_into_view_if_needed()
    _shot(tab, f"showcase_neighbourhood_{width}")
    assert tab.errors == []


def test_the_filter_finds_theorems_by_law_and_by_statement(tab, showcase):
    run, graph = showcase
    add_comm = _by_readable(graph, "∀a b. a + b = b + a")
    mul_comm = _by_readable(graph, "∀a b. a * b = b * a")
    tab.goto((run / "index.html").resolve().as_uri())
    search = tab.locator("#search")
    search.press_sequentially("comm")
    assert sorted(_visible_ids(tab)) == sorted([add_comm, mul_comm])
    _shot(tab, "showcase_filter_comm")
    for query, expected in [("a + b = b + a", [add_comm]), ("x*y = y*x", [mul_comm]),
                            ("b + a = a + b", [add_comm]), ("a + i0 = a", None)]:
        search.fill(query)
        visible = _visible_ids(tab)
        if expected is None:                     # T001 ∀a. a + i0 = a, by its key
            expected = [_by_readable(graph, "∀a. a + i0 = a")]
        assert visible == expected, query
        assert "same statement" in tab.locator(".search-count").inner_text()
    search.fill("a + b = b + a")
    _shot(tab, "showcase_filter_statement")
    search.fill("s(a) + b =")                    # no statement yet: the text as typed
    visible = _visible_ids(tab)
    assert visible and all(
        "s(a)+b=" in next(t for t in graph["theorems"] if t["id"] == i)["readable"].replace(" ", "")
        for i in visible)
    search.fill("")
    assert len(_visible_ids(tab)) == len(graph["theorems"])
    assert tab.errors == []


def test_browser_and_export_compute_the_same_keys(tab, showcase):
    run, graph = showcase
    tab.goto((run / "index.html").resolve().as_uri())
    texts = [t["readable"] for t in graph["theorems"]] + [
        "x+y=y+x", "forall p q. q * p = p * q", "a != b -> s(a) != s(b)", "é + ü = ü + é"]
    in_browser = tab.evaluate("texts => texts.map(t => window.genlogicStatementKeys(t))", texts)
    assert in_browser == [statement_keys(t, PEANO_FIXED) for t in texts]
