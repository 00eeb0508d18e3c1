/* k8skb progress — the /progress/ page: how far the learner is with each term, by category.
 *
 * Flow: read the page's data island (#k8skb-progress-data: categories and their terms, words, the
 * mastered box) → fetch the question bank next to the quiz (assets/quiz/bank.<lang>.json: which
 * question tests which term) → read the quiz's review store (localStorage "k8skb-quiz-progress",
 * the records quiz.js keeps, shared by both languages) → per category: mastered, learning, never
 * seen, due today (the same rules as src/k8skb/quiz/mastery.py), each with links to the term pages
 * and to a quiz on just those terms (quiz/?term=a,b,c) → a reset button (after a confirmation)
 * removes the store. All text reaches the page through textContent, never innerHTML.
 */
(function () {
  "use strict";

  var STORE_KEY = "k8skb-quiz-progress";
  var GROUPS = ["mastered", "learning", "unseen", "due"];
  var script = document.currentScript;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function records() {
    try {
      var data = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      var qs = data && data.version === 1 ? data.questions : null;
      return qs && typeof qs === "object" && !Array.isArray(qs) ? qs : {};
    } catch (e) {
      return {};
    }
  }

  function endOfToday() {
    var d = new Date();
    d.setHours(24, 0, 0, 0);
    return d.getTime();
  }

  // The groups of every category: the same rules as mastery.category_progress.
  function progress(data, bank, recs, dueBefore) {
    var byTerm = {};
    bank.questions.forEach(function (q) {
      var r = recs[q.id];
      if (!r || !Number.isInteger(r.box) || !Number.isInteger(r.due)) return;
      q.terms.forEach(function (t) { (byTerm[t] = byTerm[t] || []).push(r); });
    });
    return data.categories.map(function (cat) {
      var groups = { mastered: [], learning: [], unseen: [], due: [] };
      cat.terms.forEach(function (term) {
        var seen = byTerm[term.id] || [];
        if (!seen.length) { groups.unseen.push(term); return; }
        var low = Math.min.apply(null, seen.map(function (r) { return r.box; }));
        groups[low >= data.masteredBox ? "mastered" : "learning"].push(term);
        if (seen.some(function (r) { return r.due < dueBefore; })) groups.due.push(term);
      });
      return { category: cat, groups: groups };
    });
  }

  function render(root, data, bank, notice) {
    var words = data.words, base = root.getAttribute("data-root") || "../";
    var recs = records();
    var rows = progress(data, bank, recs, endOfToday());
    while (root.firstChild) root.removeChild(root.firstChild);
    var status = el("p", { className: "k8skb-progress-status", role: "status" });
    if (notice) status.textContent = notice;
    else if (!Object.keys(recs).length) status.textContent = words.nothing_yet;
    root.appendChild(status);

    var head = el("tr", {}, [el("th", { scope: "col", text: words.category })]);
    GROUPS.forEach(function (g) { head.appendChild(el("th", { scope: "col", text: words[g] })); });
    var body = el("tbody");
    var totals = { mastered: 0, learning: 0, unseen: 0, due: 0 };
    rows.forEach(function (row) {
      var tr = el("tr", { "data-category": row.category.id }, [
        el("th", { scope: "row" }, [el("a", { href: "#k8skb-progress-" + row.category.id, text: row.category.label })]),
      ]);
      GROUPS.forEach(function (g) {
        totals[g] += row.groups[g].length;
        tr.appendChild(el("td", { "data-group": g, text: String(row.groups[g].length) }));
      });
      body.appendChild(tr);
    });
    var foot = el("tr", { "data-category": "" }, [el("th", { scope: "row", text: words.total })]);
    GROUPS.forEach(function (g) { foot.appendChild(el("td", { "data-group": g, text: String(totals[g]) })); });
    // Material wraps the tables of a page in a scrolling box when it loads; this one comes later
    root.appendChild(el("div", { className: "md-typeset__scrollwrap" }, [
      el("div", { className: "md-typeset__table k8skb-progress-figures" }, [
        el("table", {}, [el("thead", {}, [head]), body, el("tfoot", {}, [foot])]),
      ]),
    ]));

    rows.forEach(function (row) {
      var section = el("section", { className: "k8skb-progress-category", id: "k8skb-progress-" + row.category.id }, [
        el("h2", { text: row.category.label }),
      ]);
      GROUPS.forEach(function (g) {
        var terms = row.groups[g];
        if (!terms.length) return;
        var list = el("ul", { className: "k8skb-progress-terms" });
        terms.forEach(function (t) {
          list.appendChild(el("li", {}, [el("a", { href: base + "glossary/" + encodeURIComponent(t.id) + "/", text: t.name })]));
        });
        var ids = terms.map(function (t) { return encodeURIComponent(t.id); }).join(",");
        section.appendChild(el("div", { className: "k8skb-progress-group", "data-group": g }, [
          el("h3", { text: words[g] + " (" + terms.length + ")" }),
          list,
          el("p", {}, [el("a", { className: "md-button k8skb-progress-quiz", href: base + "quiz/?term=" + ids, text: words.quiz_these })]),
        ]));
      });
      root.appendChild(section);
    });

    var reset = el("button", { type: "button", className: "md-button k8skb-progress-reset", text: words.reset });
    reset.addEventListener("click", function () {
      if (!window.confirm(words.reset_confirm)) return;
      try { window.localStorage.removeItem(STORE_KEY); } catch (e) { /* storage disabled: nothing kept */ }
      render(root, data, bank, words.reset_done);
      root.querySelector(".k8skb-progress-status").focus();
    });
    root.appendChild(el("p", {}, [reset]));
    status.setAttribute("tabindex", "-1");
    root.setAttribute("data-state", "ready");
  }

  function boot() {
    var root = document.getElementById("k8skb-progress");
    var island = document.getElementById("k8skb-progress-data");
    if (!root || !island || root.getAttribute("data-booted")) return;
    root.setAttribute("data-booted", "1");
    var data = JSON.parse(island.textContent);
    var url = new URL("../quiz/bank." + data.lang + ".json", script ? script.src : window.location.href);
    root.setAttribute("aria-busy", "true");
    fetch(url.href, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (bank) {
        root.removeAttribute("aria-busy");
        render(root, data, bank, "");
      })
      .catch(function () {
        root.removeAttribute("aria-busy");
        root.textContent = data.words.error;
      });
  }

  if (document.readyState !== "loading") boot();
  else document.addEventListener("DOMContentLoaded", boot);
})();
