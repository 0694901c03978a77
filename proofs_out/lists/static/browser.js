/* genlogic proof browser: progressive enhancement only; every page reads fine without it.
   Index: filter the theorem table as you type: by words (a name, a law such as "comm",
   part of a statement), or, when the text is a statement ("a + b = b + a", "x+y=y+x"),
   by the statement keys export/search.py gave each row: the same statement with any
   names for its variables, either side of "=" first.  Theorem pages: hovering a step highlights
   the steps it depends on (transitively); following a link to a step opens the sub-proofs
   around it; expand/collapse all sub-proofs.  No network access of any kind. */
(function () {
  "use strict";

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  // -- statement keys: the twin of statement_keys in genlogic/export/search.py ----------
  var NAME_CHAR = /[\p{L}\p{N}_']/u;
  var LOGICAL = "→∧∨¬≠∈∀∃↔";

  function tokens(text, fixed) {
    var symbolic = fixed.filter(function (f) {
      return Array.from(f).some(function (ch) { return !NAME_CHAR.test(ch); });
    }).sort(function (a, b) { return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0); });
    var out = [], i = 0;
    while (i < text.length) {
      var ch = text[i];
      if (/\s/.test(ch)) { i += 1; continue; }
      var name = null;
      for (var k = 0; k < symbolic.length; k += 1) {
        if (text.startsWith(symbolic[k], i)) { name = symbolic[k]; break; }
      }
      if (name === null) {
        var j = i;
        while (j < text.length && NAME_CHAR.test(text[j])) { j += 1; }
        name = j > i ? text.slice(i, j) : ch;
      }
      out.push(name);
      i += name.length;
    }
    return out;
  }

  function renamed(toks, fixed) {
    var names = {}, count = 0;
    return toks.map(function (token, position) {
      var applied = toks[position + 1] === "(";
      if (NAME_CHAR.test(token[0]) && fixed.indexOf(token) === -1 && !applied) {
        if (!Object.prototype.hasOwnProperty.call(names, token)) {
          count += 1;
          names[token] = "#" + count;
        }
        return names[token];
      }
      return token;
    }).join(" ");
  }

  function statementKeys(text, fixed, spellings) {
    spellings.forEach(function (pair) {
      if (fixed.indexOf(pair[0]) === -1) { text = text.split(pair[0]).join(pair[1]); }
    });
    var toks = tokens(text, fixed);
    if (toks[0] === "∀" && toks.indexOf(".") !== -1) { toks = toks.slice(toks.indexOf(".") + 1); }
    var keys = [renamed(toks, fixed)];
    var equals = toks.filter(function (t) { return t === "="; }).length;
    var logical = toks.some(function (t) { return LOGICAL.indexOf(t) !== -1 && t.length === 1; });
    if (equals === 1 && !logical) {
      var middle = toks.indexOf("=");
      var mirrored = renamed(toks.slice(middle + 1).concat(["="], toks.slice(0, middle)), fixed);
      if (mirrored !== keys[0]) { keys.push(mirrored); }
    }
    return keys;
  }

  function looksLikeStatement(text) {
    return /=|≠|→|∈|->|!=/.test(text);
  }

  function setupSearch() {
    var input = document.getElementById("search");
    var table = document.getElementById("theorem-table");
    if (!input || !table) { return; }
    var fixed = JSON.parse(table.getAttribute("data-fixed") || "[]");
    var spellings = JSON.parse(table.getAttribute("data-spellings") || "[]");
    window.genlogicStatementKeys = function (text) { return statementKeys(text, fixed, spellings); };
    var rows = all("tbody tr[data-search]", table);
    var rowKeys = rows.map(function (row) { return JSON.parse(row.getAttribute("data-keys") || "[]"); });
    var compact = rows.map(function (row) {
      var formula = row.querySelector(".formula");
      return formula ? formula.textContent.replace(/\s+/g, "") : "";
    });
    var count = document.querySelector(".search-count");
    var none = document.querySelector(".no-match");
    input.closest(".search").hidden = false;
    function matches() {
      var query = input.value.trim();
      if (looksLikeStatement(query)) {
        // the same statement up to the names of its variables; else the text as typed
        var keys = statementKeys(query, fixed, spellings);
        var same = rowKeys.map(function (own) {
          return own.some(function (k) { return keys.indexOf(k) !== -1; });
        });
        if (same.indexOf(true) !== -1) { return { shown: same, how: "same statement" }; }
        var typed = query.replace(/\s+/g, "");
        spellings.forEach(function (pair) { typed = typed.split(pair[0]).join(pair[1]); });
        return { shown: compact.map(function (text) { return text.indexOf(typed) !== -1; }),
                 how: "statement text" };
      }
      var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      return { shown: rows.map(function (row) {
        var text = row.getAttribute("data-search");
        return terms.every(function (term) { return text.indexOf(term) !== -1; });
      }), how: terms.length ? "" : null };
    }
    function apply() {
      var result = matches();
      var shown = 0;
      rows.forEach(function (row, i) {
        row.hidden = !result.shown[i];
        if (result.shown[i]) { shown += 1; }
      });
      if (count) {
        count.textContent = result.how === null ? "" :
          shown + " of " + rows.length + (result.how ? " (" + result.how + ")" : "");
      }
      if (none) { none.hidden = shown !== 0; }
    }
    input.addEventListener("input", apply);
    document.addEventListener("keydown", function (event) {
      if (event.key === "/" && document.activeElement !== input) {
        event.preventDefault();
        input.focus();
      } else if (event.key === "Escape" && document.activeElement === input) {
        input.value = "";
        apply();
      }
    });
    apply();
  }

  function setupProof() {
    var container = document.getElementById("steps");
    if (!container) { return; }
    all(".js-only").forEach(function (el) { el.hidden = false; });
    var steps = {};
    all("details.step", container).forEach(function (el) {
      steps[el.getAttribute("data-step")] = el;
    });

    function chain(id) {
      var seen = {}, stack = [id], out = [];
      while (stack.length) {
        var current = stack.pop();
        var el = steps[current];
        if (!el) { continue; }
        (el.getAttribute("data-premises") || "").split(" ").filter(Boolean).forEach(function (p) {
          if (!seen[p]) { seen[p] = true; out.push(p); stack.push(p); }
        });
      }
      return out;
    }

    var active = null;
    function clear() {
      all(".hl-focus, .hl-dep, .hl-inside", container).forEach(function (el) {
        el.classList.remove("hl-focus", "hl-dep", "hl-inside");
      });
      active = null;
    }
    function highlight(el) {
      if (el === active) { return; }
      clear();
      active = el;
      el.classList.add("hl-focus");
      chain(el.getAttribute("data-step")).forEach(function (id) {
        var dep = steps[id];
        if (!dep) { return; }
        dep.classList.add("hl-dep");
        for (var up = dep.parentElement; up && up !== container; up = up.parentElement) {
          if (up.classList.contains("subproof")) { up.classList.add("hl-inside"); }
        }
      });
    }
    container.addEventListener("mouseover", function (event) {
      var summary = event.target.closest("details.step > summary");
      if (summary) { highlight(summary.parentElement); }
    });
    container.addEventListener("mouseleave", clear);
    container.addEventListener("focusin", function (event) {
      var step = event.target.closest("details.step");
      if (step) { highlight(step); }
    });

    function reveal() {
      var id = decodeURIComponent(location.hash.slice(1));
      var target = id && document.getElementById(id);
      if (!target) { return; }
      for (var up = target.parentElement; up; up = up.parentElement) {
        if (up.tagName === "DETAILS" && up !== target) { up.open = true; }
      }
      if (target.classList.contains("subproof")) { target.open = true; }
      target.scrollIntoView({ block: "center" });
      target.classList.remove("flash");
      void target.offsetWidth;
      target.classList.add("flash");
    }
    window.addEventListener("hashchange", reveal);
    // A click on a link inside a step's summary follows the link and must not toggle the step.
    container.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (link && link.getAttribute("href") === location.hash) { reveal(); }
    });
    reveal();

    var tools = document.querySelector(".proof-tools");
    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (event) {
        var action = event.target.getAttribute("data-action");
        if (!action) { return; }
        all("details.subproof", container).forEach(function (el) { el.open = action === "expand"; });
      });
    }
  }

  setupSearch();
  setupProof();
})();
