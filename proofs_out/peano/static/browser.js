/* genlogic proof browser: progressive enhancement only; every page reads fine without it.
   Index: filter the theorem table as you type.  Theorem pages: hovering a step highlights
   the steps it depends on (transitively); following a link to a step opens the sub-proofs
   around it; expand/collapse all sub-proofs.  No network access of any kind. */
(function () {
  "use strict";

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function setupSearch() {
    var input = document.getElementById("search");
    var table = document.getElementById("theorem-table");
    if (!input || !table) { return; }
    var rows = all("tbody tr[data-search]", table);
    var count = document.querySelector(".search-count");
    var none = document.querySelector(".no-match");
    input.closest(".search").hidden = false;
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute("data-search");
        var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = terms.length ? shown + " of " + rows.length : ""; }
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
