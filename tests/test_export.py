"""The exports of a run folder: site files, no external URLs, TSTP, DOT, determinism.

The real Peano goal run (ten theorems, about 900 steps) is proved once per session; a small
hand-written graph covers what that run lacks: failed goals, the "essential" key,
run.json with a funnel and timings, and theorem ids that are unsafe as file names.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from genlogic.export import export_all
from genlogic.export.glossary import RULES, rule_anchor
from genlogic.export.model import build_site, slugify
from genlogic.export.tstp import tptp_formula, tptp_name

ROOT = Path(__file__).resolve().parents[1]
KERNEL_RULES = ("premise", "expand", "theorem", "and-elim", "and-intro", "modus-ponens",
                "exists-elim", "exists-intro", "eq-refl", "eq-symm", "eq-trans", "eq-subst",
                "contradiction", "implies-intro", "induction")
FOF = re.compile(r"^fof\((?P<name>[a-z][A-Za-z0-9_]*), (?P<role>plain), (?P<formula>.+), "
                 r"(?P<source>inference\((?P<rule>[a-z_]+),\[status\(thm\)(?:,.*)?\],\[(?P<parents>[a-z0-9_,]*)\]\)"
                 r"|introduced\(assumption,\[[^\]]*\]\))\)\.$")


def _peano_graph(path: Path) -> Path:
    from genlogic.explore.goals import prove_goals
    from genlogic.mpl.theory import load
    from genlogic.proof.graph import write_graph
    theory = load(ROOT / "axioms" / "peano.mpl")
    result = prove_goals(theory, theory.goals_from(ROOT / "axioms" / "peano_goals.mpl"))
    path.mkdir(parents=True, exist_ok=True)
    write_graph(path / "proof_graph.json", result.graph)
    return path


@pytest.fixture(scope="session")
def peano_graph_dir(tmp_path_factory) -> Path:
    """A folder holding only the proof graph of the Peano goals."""
    return _peano_graph(tmp_path_factory.mktemp("peano_graph"))


@pytest.fixture(scope="session")
def peano_site(peano_graph_dir, tmp_path_factory) -> tuple[Path, list[Path], dict]:
    run = tmp_path_factory.mktemp("peano_site")
    shutil.copy(peano_graph_dir / "proof_graph.json", run / "proof_graph.json")
    written = export_all(run)
    return run, written, json.loads((run / "proof_graph.json").read_text(encoding="utf-8"))


def _small_graph(peano: dict) -> dict:
    """Two Peano theorems renamed to awkward ids, plus failed goals and exploration keys."""
    graph = copy.deepcopy(peano)
    first, second = graph["theorems"][0], graph["theorems"][1]
    odd = {first["id"]: "Zero + a/b <is> \"a\"", second["id"]: "zero + A/B <is> 'a'"}
    for t in (first, second):
        t["id"] = odd[t["id"]]
        t["dependencies"] = [odd.get(d, d) for d in t["dependencies"]]
        for step in t["steps"]:
            if step["rule"] == "theorem":
                step["extra"]["theorem"] = odd.get(step["extra"]["theorem"], step["extra"]["theorem"])
    first["essential"], second["essential"] = True, False
    graph["theorems"] = [first, second]
    graph["failed"] = [
        {"id": "all_zero", "mpl": "(>[a](in[a,N])(=[a,i0]))", "readable": "∀a. a = i0",
         "status": "CounterSatisfiable", "counterexample": {"N": [0, 1], "a": 1}},
        {"id": "hard", "mpl": "(>[a](in[a,N])(in[a,N]))", "readable": "∀a. a ∈ N",
         "status": "GaveUp", "counterexample": None}]
    graph["stats"] = {"mode": "explore", "funnel": {"candidates": 5000, "survivors": 120,
                                                    "proved": 2}}
    return graph


@pytest.fixture(scope="session")
def small_site(peano_site, tmp_path_factory) -> tuple[Path, list[Path], dict]:
    run = tmp_path_factory.mktemp("small_site")
    graph = _small_graph(peano_site[2])
    (run / "proof_graph.json").write_text(json.dumps(graph, ensure_ascii=False), encoding="utf-8")
    (run / "run.json").write_text(json.dumps({"timings": {"explore": 1.25, "prove": 3.5},
                                              "seconds": 4.75}), encoding="utf-8")
    return run, export_all(run), graph


# -- files -------------------------------------------------------------------------------
def test_every_file_is_written(peano_site):
    run, written, graph = peano_site
    names = {p.relative_to(run).as_posix() for p in written}
    expected = {"index.html", "glossary.html", "graph.svg", "proof.tstp", "theorems.dot",
                "static/style.css", "static/browser.js"}
    expected |= {f"theorems/{t['id']}.html" for t in graph["theorems"]}
    assert names == expected
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    assert written == sorted(written)


def test_no_file_refers_to_an_external_url(peano_site, small_site):
    for run, written, _ in (peano_site, small_site):
        for path in written:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".svg":  # a standalone SVG must declare its XML namespace
                text = text.replace('xmlns="http://www.w3.org/2000/svg"', "", 1)
            for bad in ("http://", "https://", "//cdn", "ftp://"):
                assert bad not in text, f"{path.name} contains {bad}"
        for path in run.glob("**/*.html"):
            assert "http" not in path.read_text(encoding="utf-8").lower().replace("http-equiv", "")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) is not None:
                self.links.append(attrs[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_link_resolves_to_a_file_and_anchor(peano_site, small_site):
    for run, _, _ in (peano_site, small_site):
        pages = sorted(run.glob("**/*.html"))
        parsed = {p.resolve(): _parse(p) for p in pages}
        for page, links in parsed.items():
            for link in links.links:
                parts = urlsplit(link)
                assert not parts.scheme and not parts.netloc, (page, link)
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.exists(), (page, link)
                if parts.fragment and target.suffix == ".html":
                    assert parts.fragment in parsed[target].ids, (page, link)


# -- pages -------------------------------------------------------------------------------
def test_index_lists_theorems_axioms_and_run(peano_site):
    run, _, graph = peano_site
    html = (run / "index.html").read_text(encoding="utf-8")
    for t in graph["theorems"]:
        assert f'href="theorems/{t["id"]}.html"' in html
        assert t["method"] in html
    for axiom in graph["theory"]["axioms"]:
        assert _escaped(axiom["readable"]) in html
    assert 'id="search"' in html and "<svg" in html and "xmlns" not in html


def _escaped(text: str) -> str:
    from markupsafe import escape
    return str(escape(text))


def test_theorem_page_shows_steps_links_and_sub_proofs(peano_site):
    run, _, graph = peano_site
    theorem = next(t for t in graph["theorems"] if t["id"] == "add_comm")
    page = _parse(run / "theorems" / "add_comm.html")
    html = (run / "theorems" / "add_comm.html").read_text(encoding="utf-8")
    assert {f"step-{s['id']}" for s in theorem["steps"]} <= page.ids
    for context in theorem["contexts"][1:]:
        assert f"ctx-{context['id']}" in page.ids
        assert context["label"].capitalize() in html
    assert 'href="../glossary.html#rule-modus-ponens"' in html
    assert 'href="add_zero_left.html"' in html            # a "theorem" step cites it
    users = [t["id"] for t in graph["theorems"] if "add_comm" in t["dependencies"]]
    assert users
    used_by = html.split('class="links used-by"')[1].split("</dd>")[0]
    assert all(f'href="{u}.html"' in used_by for u in users)
    assert "induction on b" in html and f"<dd>{len(theorem['steps'])}</dd>" in html
    # readable without JavaScript: sub-proofs are open, the JS-only controls hidden
    subproofs = re.findall(r'<details class="subproof"[^>]*>', html)
    assert len(subproofs) == len(theorem["contexts"]) - 1
    assert all(tag.endswith(" open>") for tag in subproofs)
    assert '<div class="proof-tools" hidden>' in html


def test_theorem_page_leads_with_an_outline(peano_site):
    """Before the steps: the method, each sub-proof (base, step, ...) linked to its place
    with what it fixes and assumes, and every theorem used with its statement."""
    run, _, graph = peano_site
    theorem = next(t for t in graph["theorems"] if t["id"] == "add_comm")
    html = (run / "theorems" / "add_comm.html").read_text(encoding="utf-8")
    outline = html.split('<section class="outline">')[1].split("</section>")[0]
    assert html.index('<section class="outline">') < html.index('<section class="proof">')
    assert "By induction on b" in outline
    for context in theorem["contexts"][1:]:
        assert f'href="#ctx-{context["id"]}"' in outline
    assert "Induction base" in outline and "Induction step" in outline
    by_id = {t["id"]: t for t in graph["theorems"]}
    uses = outline.split('<ul class="uses">')[1]
    for dep in theorem["dependencies"]:
        assert f'href="{dep}.html"' in uses
        assert escape(by_id[dep]["readable"], quote=False) in uses     # with its statement


def test_glossary_explains_every_kernel_rule(peano_site):
    run, _, graph = peano_site
    assert {r.name for r in RULES} == set(KERNEL_RULES)
    ids = _parse(run / "glossary.html").ids
    assert {rule_anchor(name) for name in KERNEL_RULES} <= ids
    used = {s["rule"] for t in graph["theorems"] for s in t["steps"]}
    assert {rule_anchor(name) for name in used} <= ids


def test_graph_svg_links_every_theorem(peano_site):
    run, _, graph = peano_site
    svg = (run / "graph.svg").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a class="node[^"]*" href="([^"]+)"', svg)
    assert sorted(hrefs) == sorted(f"theorems/{t['id']}.html" for t in graph["theorems"])
    assert all((run / h).is_file() for h in hrefs)
    drawn = set(re.findall(r'<path class="edge" data-from="([^"]+)" data-to="([^"]+)"', svg))
    cited = {(d, t["id"]) for t in graph["theorems"] for d in t["dependencies"]}
    assert drawn <= cited
    reach = {t["id"]: set(t["dependencies"]) for t in graph["theorems"]}
    for t in graph["theorems"]:          # dependencies come first: close them transitively
        for d in t["dependencies"]:
            reach[t["id"]] |= reach[d]
    implied = {(d, t) for t, deps in reach.items() for d in deps
               if any(d in reach[m] for m in reach[t])}
    assert drawn == cited - implied     # the transitive reduction


# -- TSTP and DOT -------------------------------------------------------------------------
def _fof_lines(text: str) -> list[re.Match]:
    matches = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line.startswith("%"):
            continue
        match = FOF.match(line)
        assert match, f"line {number} is not a fof line: {line}"
        matches.append(match)
    return matches


def test_tstp_has_one_fof_line_per_step(peano_site):
    run, _, graph = peano_site
    text = (run / "proof.tstp").read_text(encoding="utf-8")
    lines = _fof_lines(text)
    assert len(lines) == sum(len(t["steps"]) for t in graph["theorems"])
    names = [m["name"] for m in lines]
    assert len(set(names)) == len(names)
    seen: set[str] = set()
    for match in lines:   # parents are named before they are used
        parents = [p for p in match["parents"].split(",") if p] if match["parents"] is not None else []
        assert set(parents) <= seen, match.group(0)
        seen.add(match["name"])
    for t in graph["theorems"]:
        assert f"% SZS status Theorem for {t['id']}\n" in text
    assert "inference(modus_ponens,[status(thm)],[" in text
    assert text.count("(") == text.count(")")


def test_tstp_reports_failed_goals(small_site):
    run, _, graph = small_site
    text = (run / "proof.tstp").read_text(encoding="utf-8")
    assert "% SZS status CounterSatisfiable for all_zero" in text
    assert "% SZS status GaveUp for hard" in text
    assert len(_fof_lines(text)) == sum(len(t["steps"]) for t in graph["theorems"])
    for t in graph["theorems"]:
        assert f"% SZS status Theorem for {tptp_name(t['id'])}" in text


def test_tptp_formula_syntax():
    assert tptp_formula("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))") == \
        "! [A,B,C] : (in3(A,B,C,'+') => in3(B,A,C,'+'))"
    assert tptp_formula("!(>[z](in[z,N])!(in3[x,y,z,+]))") == "? [Z] : (in(Z,'N') & in3(x,y,Z,'+'))"
    assert tptp_formula("(>[](=[a,b])!(=[b,a]))") == "(a = b => ~ (b = a))"
    # a bound name that would clash with an enclosing variable gets a new variable
    assert tptp_formula("(>[m](in[m,N])(>[M](in[M,m])(in[m,M])))") == \
        "! [M] : (in(M,'N') => ! [M_1] : (in(M_1,M) => in(M,M_1)))"
    assert tptp_name("add_comm") == "add_comm"
    assert re.fullmatch(r"[a-z][A-Za-z0-9_]*", tptp_name("Zero + a/b"))


def test_dot_has_one_node_per_theorem(peano_site):
    run, _, graph = peano_site
    text = (run / "theorems.dot").read_text(encoding="utf-8")
    assert text.startswith("digraph theorems {") and text.rstrip().endswith("}")
    nodes = re.findall(r'^  "((?:[^"\\]|\\.)*)" \[label=', text, flags=re.M)
    assert sorted(nodes) == sorted(t["id"] for t in graph["theorems"])
    edges = re.findall(r'^  "[^"]+" -> "[^"]+";$', text, flags=re.M)
    assert len(edges) == sum(len(t["dependencies"]) for t in graph["theorems"])


# -- odd inputs ------------------------------------------------------------------------------
def test_slugs_are_safe_unique_and_stable():
    taken: set[str] = set()
    slugs = [slugify(name, taken) for name in
             ("add_comm", "a/b", "a\\b", "A/B", "..", "", "x" * 300, "add_comm")]
    assert slugs[0] == "add_comm"
    assert len({s.lower() for s in slugs}) == len(slugs)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,100}", s) for s in slugs)
    again: set[str] = set()
    assert slugs == [slugify(name, again) for name in
                     ("add_comm", "a/b", "a\\b", "A/B", "..", "", "x" * 300, "add_comm")]


def test_small_site_shows_failed_goals_roles_funnel_and_timings(small_site):
    run, written, graph = small_site
    pages = sorted((run / "theorems").glob("*.html"))
    assert len(pages) == 2 and all(re.fullmatch(r"[A-Za-z0-9_-]+\.html", p.name) for p in pages)
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "Goals not proved" in index and "CounterSatisfiable" in index and "GaveUp" in index
    assert "essential" in index and "derivable" in index
    assert "Funnel" in index and "candidates" in index and "5,000" in index
    assert "Timings" in index and "prove" in index and "3.5" in index
    site = build_site(graph)
    first = next(t for t in site.theorems if t.essential)
    html = (run / first.href).read_text(encoding="utf-8")
    assert "&lt;is&gt;" in html and "<is>" not in html            # autoescaped
    assert (run / "theorems.dot").read_text(encoding="utf-8").count("[label=") == 2


def test_stale_pages_are_removed(small_site, tmp_path):
    run, _, graph = small_site
    shutil.copytree(run, tmp_path / "run")
    (tmp_path / "run" / "theorems" / "old_theorem.html").write_text("old", encoding="utf-8")
    export_all(tmp_path / "run")
    assert not (tmp_path / "run" / "theorems" / "old_theorem.html").exists()


def test_missing_optional_keys_still_export(tmp_path):
    graph = {"schema": "genlogic-proof-graph/1", "theory": {}, "theorems": [
        {"id": "t", "mpl": "(>[a](in[a,N])(in[a,N]))", "readable": "∀a. a ∈ N",
         "contexts": [{"id": 0, "parent": None, "vars": [], "hypothesis": None, "label": "root"}],
         "steps": [{"id": 1, "context": 0, "expr": "(>[a](in[a,N])(in[a,N]))", "rule": "premise",
                    "premises": [], "extra": {"index": 0}}],
         "conclusion": 1}]}
    (tmp_path / "proof_graph.json").write_text(json.dumps(graph), encoding="utf-8")
    (tmp_path / "run.json").write_text("[not an object]", encoding="utf-8")
    written = export_all(tmp_path)
    assert (tmp_path / "theorems" / "t.html").is_file() and len(written) == 8
    assert len(_fof_lines((tmp_path / "proof.tstp").read_text(encoding="utf-8"))) == 1


# -- determinism -----------------------------------------------------------------------------
def test_export_twice_gives_identical_bytes(peano_site, tmp_path):
    run, written, _ = peano_site
    first = {p.relative_to(run): p.read_bytes() for p in written}
    export_all(run)
    again = {p.relative_to(run): p.read_bytes() for p in sorted(run.rglob("*")) if p.is_file()}
    again.pop(Path("proof_graph.json"))
    assert again == first
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(run / "proof_graph.json", other / "proof_graph.json")
    elsewhere = {p.relative_to(other): p.read_bytes() for p in export_all(other)}
    assert elsewhere == first
