/* k8skb quiz — the quiz page in the browser. Vanilla JS, no framework, no network beyond the bank.
 *
 * Flow: find <div id="k8skb-quiz" data-lang data-root> → fetch the bank JSON that sits next to this
 * script (assets/quiz/bank.<lang>.json) → setup form (category, number of questions, review) →
 * selectQuestions (Leitner schedule, the same algorithm as src/k8skb/quiz/schedule.py, intervals
 * read from the bank; at most one question per "group" of near-identical statements) → one
 * question at a time: a <form> with a <fieldset>/<legend> per kind, checked on submit, feedback in
 * an aria-live region (the focus moves to the next button, which the verdict, the right answer and
 * the explanation describe, so they are read with it) → summary with the score and the missed
 * questions. Progress lives in localStorage (key k8skb-quiz-progress), keyed by question id so it
 * is shared by both languages; a corrupted store is reset with a message. All text from the bank
 * reaches the page through textContent, never innerHTML: its Markdown code spans become <code>
 * elements (in <option>s and attributes, which hold no elements, the text without the backticks).
 * URL parameters: ?term=<id> (only questions testing that term; starts at once; a,b,c: any of those
 * terms, as the progress page links; a notice naming them stays above every screen), ?category=,
 * ?count=, ?seed=<n> (reproducible choice of questions), ?start=1 (start at once).
 */
(function () {
  "use strict";

  var STORE_KEY = "k8skb-quiz-progress";
  var DAY_MS = 86400000;
  var hasDom = typeof document !== "undefined";
  var script = hasDom ? document.currentScript : null;

  // ---- schedule: identical to schedule.py ------------------------------------------------------

  function review(record, correct, nowMs, intervals) {
    var previous = record ? record.box : 1;
    var box = correct ? Math.min(previous + 1, intervals.length) : 1;
    return {
      box: box,
      due: nowMs + intervals[box - 1] * DAY_MS,
      seen: (record ? record.seen : 0) + 1,
      missed: (record ? record.missed : 0) + (correct ? 0 : 1),
    };
  }

  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), a | 1);
      t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffle(items, rng) {
    var out = items.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(rng() * (i + 1));
      var tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  function rank(record, nowMs) {
    if (!record) return 1;
    return record.due <= nowMs ? 0 : 2;
  }

  function selectQuestions(questions, progress, nowMs, count, seed, reviewOnly) {
    var pool = shuffle(questions, mulberry32(seed));
    var ranked = pool.map(function (q) {
      return { r: rank(progress[q.id], nowMs), q: q };
    });
    if (reviewOnly) ranked = ranked.filter(function (x) { return x.r === 0; });
    ranked.sort(function (x, y) { return x.r - y.r; }); // stable, like Python's sort
    var queues = {};
    var order = [];
    ranked.forEach(function (x) {
      if (!queues[x.q.kind]) { queues[x.q.kind] = []; order.push(x.q.kind); }
      queues[x.q.kind].push(x.q);
    });
    var picked = [];
    var groups = {};
    var left = ranked.length;
    while (picked.length < count && left > 0) {
      order.forEach(function (kind) {
        if (queues[kind].length && picked.length < count) {
          var q = queues[kind].shift();
          left--;
          if (typeof q.group === "string") {
            if (Object.prototype.hasOwnProperty.call(groups, q.group)) return; // a near-duplicate already picked
            groups[q.group] = true;
          }
          picked.push(q);
        }
      });
    }
    return picked;
  }

  // ---- progress store -------------------------------------------------------------------------

  function validRecord(r, boxes) {
    if (!r || typeof r !== "object") return false;
    var keys = Object.keys(r).sort().join(",");
    if (keys !== "box,due,missed,seen") return false;
    var ints = [r.box, r.due, r.seen, r.missed].every(function (v) { return Number.isInteger(v); });
    return ints && r.box >= 1 && r.box <= boxes && r.seen >= 0 && r.missed >= 0;
  }

  function loadProgress(boxes) {
    var raw;
    try { raw = window.localStorage.getItem(STORE_KEY); } catch (e) { return { records: {}, reset: false }; }
    if (raw === null) return { records: {}, reset: false };
    try {
      var data = JSON.parse(raw);
      var qs = data && data.version === 1 ? data.questions : null;
      if (qs && typeof qs === "object" && !Array.isArray(qs) &&
          Object.keys(qs).every(function (k) { return validRecord(qs[k], boxes); })) {
        return { records: qs, reset: false };
      }
    } catch (e) { /* fall through: corrupted */ }
    saveProgress({});
    return { records: {}, reset: true };
  }

  function saveProgress(records) {
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify({ version: 1, questions: records }));
    } catch (e) { /* storage full or disabled: the quiz still works for this visit */ }
  }

  // ---- answers --------------------------------------------------------------------------------

  function isCorrect(q, response) {
    if (response === null || response === undefined) return false;
    if (q.kind === "truefalse") return response === q.answer;
    if (q.kind === "single") return response === q.answer;
    var a = q.answer.slice(), b = response.slice();
    if (q.kind === "multiple") { a.sort(); b.sort(); }
    return a.length === b.length && a.every(function (v, i) { return v === b[i]; });
  }

  // The right answer as a list of texts, each shown on its own (a stray backtick in one choice cannot
  // pair with one in the next); the separators hold no backticks.
  function answerParts(q, ui) {
    var letters = "abcdefghijklmnopqrstuvwxyz", parts = [];
    function add(sep, text) { if (parts.length) parts.push(sep); parts.push(text); }
    if (q.kind === "truefalse") return [q.answer ? ui["true"] : ui["false"]];
    if (q.kind === "single") return [q.choices[q.answer]];
    if (q.kind === "matching") {
      q.left.forEach(function (l, i) {
        add(" / ", l);
        parts.push(" ↔ " + letters[q.answer[i]] + ") ", q.choices[q.answer[i]]);
      });
    } else {
      q.answer.forEach(function (i) { add(q.kind === "ordering" ? " → " : " / ", q.choices[i]); });
    }
    return parts;
  }

  // ---- DOM helpers ----------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  // The bank's texts are plain text with Markdown code spans (`kubectl apply`), as in the glossary.
  // spans() splits a text into [text, code, text, code, …] (even indexes plain, odd ones code) by
  // CommonMark's rule: a run of n backticks opens a span that the next run of exactly n closes; an
  // opener without its closer stays literal.
  function spans(text) {
    var s = String(text), out = [], runs = /`+/g, m;
    while ((m = runs.exec(s))) {
      var after = runs.lastIndex, closer = /`+/g, c;
      closer.lastIndex = after;
      while ((c = closer.exec(s)) && c[0].length !== m[0].length) { /* a longer or shorter run: not the closer */ }
      if (!c) continue;
      var code = s.slice(after, c.index).replace(/\n/g, " ");
      if (/^ [\s\S]*[^ ][\s\S]* $/.test(code)) code = code.slice(1, -1);
      out.push(s.slice(0, m.index), code);
      s = s.slice(closer.lastIndex);
      runs.lastIndex = 0;
    }
    out.push(s);
    return out;
  }

  // Where no element may go (an <option>, an attribute): the text without the backticks.
  function plainText(text) {
    return spans(text).join("");
  }

  // Append a bank text to node: code spans as <code>, line breaks as <br>, everything else as text.
  function rich(node, text) {
    spans(text).forEach(function (part, i) {
      if (i % 2) { node.appendChild(el("code", { text: part })); return; }
      part.split("\n").forEach(function (line, j) {
        if (j) node.appendChild(document.createElement("br"));
        if (line) node.appendChild(document.createTextNode(line));
      });
    });
    return node;
  }

  function multiline(tag, text, className) {
    return rich(el(tag, { className: className || "" }), text);
  }

  // ---- the quiz -------------------------------------------------------------------------------

  function Quiz(root, bank) {
    this.root = root;
    this.bank = bank;
    this.ui = bank.ui;
    this.lang = bank.lang;
    this.intervals = bank.leitner.intervals_days;
    this.base = root.getAttribute("data-root") || "./";
    this.params = new URLSearchParams(window.location.search);
    var loaded = loadProgress(this.intervals.length);
    this.records = loaded.records;
    this.resetNotice = loaded.reset;
    this.term = this.params.get("term");
    this.termIds = this.term ? this.term.split(",").filter(Boolean) : [];
    this.idPrefix = "k8skb-q-";
  }

  Quiz.prototype.termHref = function (id) {
    return this.base + "glossary/" + encodeURIComponent(id) + "/";
  };

  Quiz.prototype.pool = function (category) {
    var ids = this.termIds;
    return this.bank.questions.filter(function (q) {
      return (!category || q.category === category) &&
        (!ids.length || q.terms.some(function (t) { return ids.indexOf(t) >= 0; }));
    });
  };

  Quiz.prototype.clear = function () {
    while (this.root.firstChild) this.root.removeChild(this.root.firstChild);
  };

  // ?term=: say which terms the questions are limited to, on every screen (setup, each question, the
  // result). Returns the notice's id (for aria-describedby), or "" when the quiz is not limited.
  Quiz.prototype.filterNotice = function () {
    var self = this, ids = this.termIds;
    if (!ids.length) return "";
    var words = (ids.length > 1 ? this.ui.term_filter_many : this.ui.term_filter).split("{terms}");
    var p = el("p", { className: "k8skb-quiz-filter", id: this.idPrefix + "filter", text: words[0] });
    ids.forEach(function (id, i) {
      if (i) p.appendChild(document.createTextNode(", "));
      p.appendChild(el("a", { href: self.termHref(id), text: self.bank.terms[id] || id }));
    });
    p.appendChild(document.createTextNode(words.slice(1).join("")));
    this.root.appendChild(p);
    return p.id;
  };

  Quiz.prototype.progressLine = function () {
    var now = Date.now(), seen = 0, due = 0, recs = this.records;
    Object.keys(recs).forEach(function (k) { seen++; if (recs[k].due <= now) due++; });
    return this.ui.progress_line.replace("{seen}", String(seen)).replace("{due}", String(due));
  };

  Quiz.prototype.setup = function () {
    var self = this, ui = this.ui;
    this.clear();
    if (this.resetNotice) {
      this.root.appendChild(el("p", { className: "k8skb-quiz-notice", role: "alert", text: ui.progress_reset }));
      this.resetNotice = false;
    }
    this.filterNotice();
    var cat = el("select", { id: "k8skb-quiz-category", name: "category" });
    cat.appendChild(el("option", { value: "", text: ui.all_categories }));
    this.bank.categories.forEach(function (c) {
      if (self.pool(c.id).length) cat.appendChild(el("option", { value: c.id, text: c.label }));
    });
    cat.value = this.params.get("category") || "";
    var count = el("select", { id: "k8skb-quiz-count", name: "count" });
    [5, 10, 20].forEach(function (n) { count.appendChild(el("option", { value: String(n), text: String(n) })); });
    count.value = this.params.get("count") || "10";
    var start = el("button", { type: "submit", className: "md-button md-button--primary", text: ui.start });
    var rev = el("button", { type: "button", className: "md-button", text: ui.review });
    var form = el("form", { className: "k8skb-quiz-setup" }, [
      el("p", {}, [el("label", { "for": "k8skb-quiz-category", text: ui.category }), cat]),
      el("p", {}, [el("label", { "for": "k8skb-quiz-count", text: ui.count }), count]),
      el("p", { className: "k8skb-quiz-buttons" }, [start, rev]),
      el("p", { className: "k8skb-quiz-progress-line", text: this.progressLine() }),
    ]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      self.start(cat.value, parseInt(count.value, 10), false);
    });
    rev.addEventListener("click", function () { self.start(cat.value, parseInt(count.value, 10), true); });
    this.root.appendChild(form);
    this.root.setAttribute("data-state", "setup");
    if (!this.readyMarked) {
      this.readyMarked = true;
      this.root.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    }
  };

  Quiz.prototype.start = function (category, count, reviewOnly) {
    var seedParam = this.params.get("seed");
    var seed = seedParam !== null && /^\d+$/.test(seedParam) ? parseInt(seedParam, 10) :
      Math.floor(Math.random() * 4294967296);
    this.questions = selectQuestions(this.pool(category), this.records, Date.now(), count || 10, seed, reviewOnly);
    this.index = 0;
    this.score = 0;
    this.missed = [];
    if (!this.questions.length) {
      this.clear();
      this.filterNotice();
      this.root.appendChild(el("p", { role: "status", text: reviewOnly ? this.ui.nothing_due : this.ui.no_questions }));
      var back = el("button", { type: "button", className: "md-button", text: this.ui.again });
      var self = this;
      back.addEventListener("click", function () { self.setup(); });
      this.root.appendChild(back);
      back.focus();
      return;
    }
    this.show();
  };

  Quiz.prototype.show = function () {
    var self = this, ui = this.ui, q = this.questions[this.index];
    this.clear();
    var notice = this.filterNotice();
    var heading = el("h2", {
      className: "k8skb-quiz-heading", tabindex: "-1",
      text: ui.question + " " + (this.index + 1) + " " + ui.of + " " + this.questions.length,
    });
    if (notice && this.index === 0) heading.setAttribute("aria-describedby", notice); // read once, with the first question
    var legendId = this.idPrefix + "legend";
    var legend = el("legend", { id: legendId }, [
      el("span", { className: "k8skb-quiz-hint", text: ui[q.kind + "_hint"] }),
      multiline("span", q.prompt, "k8skb-quiz-prompt"),
    ]);
    var fieldset = el("fieldset", { className: "k8skb-quiz-kind-" + q.kind }, [legend]);
    var read = this.renderInputs(q, fieldset);
    var message = el("p", { className: "k8skb-quiz-message", role: "alert" });
    var submit = el("button", { type: "submit", className: "md-button md-button--primary", text: ui.submit });
    var form = el("form", { className: "k8skb-quiz-question", "data-qid": q.id, "data-kind": q.kind },
      [fieldset, message, submit]);
    var live = el("div", { className: "k8skb-quiz-feedback", "aria-live": "polite", role: "status" });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (form.getAttribute("data-answered")) return;
      var response = read();
      if (response === null) {
        message.textContent = q.kind === "matching" ? ui.pick_all : ui.pick_one;
        return;
      }
      message.textContent = "";
      form.setAttribute("data-answered", "1");
      Array.prototype.forEach.call(form.querySelectorAll("input, select, button"), function (n) { n.disabled = true; });
      self.answer(q, response, live);
    });
    this.root.appendChild(heading);
    this.root.appendChild(form);
    this.root.appendChild(live);
    this.root.setAttribute("data-state", "question");
    if (!this.firstMarked) {
      this.firstMarked = true;
      this.root.setAttribute("data-first-question-ms", String(Math.round(performance.now())));
      if (performance.mark) performance.mark("k8skb-quiz-first-question");
    }
    heading.focus();
  };

  Quiz.prototype.renderInputs = function (q, fieldset) {
    var ui = this.ui, prefix = this.idPrefix;
    var letters = "abcdefghijklmnopqrstuvwxyz";
    function choiceList(type, labels) {
      var inputs = labels.map(function (text, i) {
        var id = prefix + "c" + i;
        var input = el("input", { type: type, name: "choice", id: id, value: String(i) });
        fieldset.appendChild(el("div", { className: "k8skb-quiz-choice" }, [
          input, multiline("label", text, ""),
        ]));
        fieldset.lastChild.lastChild.setAttribute("for", id);
        return input;
      });
      return inputs;
    }
    if (q.kind === "single" || q.kind === "truefalse") {
      var labels = q.kind === "truefalse" ? [ui["true"], ui["false"]] : q.choices;
      var radios = choiceList("radio", labels);
      return function () {
        for (var i = 0; i < radios.length; i++) {
          if (radios[i].checked) return q.kind === "truefalse" ? i === 0 : i;
        }
        return null;
      };
    }
    if (q.kind === "multiple") {
      var boxes = choiceList("checkbox", q.choices);
      return function () {
        var picked = [];
        boxes.forEach(function (b, i) { if (b.checked) picked.push(i); });
        return picked.length ? picked : null;
      };
    }
    if (q.kind === "ordering") {
      fieldset.appendChild(el("p", { className: "k8skb-quiz-hint", text: ui.positions_hint }));
      var selects = q.choices.map(function (text, i) {
        var id = prefix + "o" + i;
        var select = el("select", { id: id, "aria-label": ui.position + ": " + plainText(text) });
        q.choices.forEach(function (_, p) { select.appendChild(el("option", { value: String(p), text: String(p + 1) })); });
        select.value = String(i);
        select.setAttribute("data-prev", String(i));
        fieldset.appendChild(el("div", { className: "k8skb-quiz-row" }, [select, rich(el("span"), text)]));
        return select;
      });
      selects.forEach(function (select) {
        select.addEventListener("change", function () {
          var prev = select.getAttribute("data-prev"), now = select.value;
          selects.forEach(function (other) {
            if (other !== select && other.value === now) {
              other.value = prev;
              other.setAttribute("data-prev", prev);
            }
          });
          select.setAttribute("data-prev", now);
        });
      });
      return function () {
        var order = [];
        selects.forEach(function (s, i) { order[parseInt(s.value, 10)] = i; });
        return order;
      };
    }
    // matching: the right column as a lettered list, one <select> per left item
    var list = el("ol", { className: "k8skb-quiz-options", type: "a" });
    q.choices.forEach(function (text) { list.appendChild(multiline("li", text, "")); });
    var matches = q.left.map(function (text, i) {
      var id = prefix + "m" + i;
      var select = el("select", { id: id });
      select.appendChild(el("option", { value: "", text: "—" }));
      q.choices.forEach(function (choice, j) {
        select.appendChild(el("option", { value: String(j), text: letters[j] + ") " + plainText(choice) }));
      });
      fieldset.appendChild(el("div", { className: "k8skb-quiz-row" }, [
        rich(el("label", { "for": id }), text), select,
      ]));
      return select;
    });
    fieldset.appendChild(list);
    return function () {
      var out = [];
      for (var i = 0; i < matches.length; i++) {
        if (matches[i].value === "") return null;
        out.push(parseInt(matches[i].value, 10));
      }
      return out;
    };
  };

  Quiz.prototype.answer = function (q, response, live) {
    var self = this, ui = this.ui;
    var correct = isCorrect(q, response);
    if (correct) this.score++;
    else this.missed.push(q);
    this.records[q.id] = review(this.records[q.id], correct, Date.now(), this.intervals);
    saveProgress(this.records);
    live.className = "k8skb-quiz-feedback " + (correct ? "k8skb-quiz-correct" : "k8skb-quiz-wrong");
    live.setAttribute("data-correct", correct ? "true" : "false");
    var ids = [this.idPrefix + "verdict", this.idPrefix + "answer", this.idPrefix + "explanation"];
    live.appendChild(el("p", { id: ids[0], className: "k8skb-quiz-verdict", text: correct ? ui.correct : ui.wrong }));
    if (!correct) live.appendChild(this.answerLine(q, { id: ids[1] }));
    else ids.splice(1, 1);
    var explanation = multiline("p", q.explanation, "k8skb-quiz-explanation");
    explanation.id = ids[ids.length - 1];
    live.appendChild(explanation);
    live.appendChild(this.termLinks(q));
    var last = this.index + 1 >= this.questions.length;
    var next = el("button", { type: "button", className: "md-button md-button--primary k8skb-quiz-next",
      text: last ? ui.finish : ui.next, "aria-describedby": ids.join(" ") });
    next.addEventListener("click", function () {
      self.index++;
      if (last) self.summary(); else self.show();
    });
    live.appendChild(next);
    next.focus();
  };

  Quiz.prototype.answerLine = function (q, attrs) {
    var p = el("p", attrs, [document.createTextNode(this.ui.answer_was + ": ")]);
    answerParts(q, this.ui).forEach(function (part) { rich(p, part); });
    return p;
  };

  Quiz.prototype.termLinks = function (q) {
    var self = this;
    var p = el("p", { className: "k8skb-quiz-terms", text: this.ui.terms + ": " });
    q.terms.forEach(function (id, i) {
      if (i) p.appendChild(document.createTextNode(", "));
      p.appendChild(el("a", { href: self.termHref(id), text: self.bank.terms[id] || id }));
    });
    return p;
  };

  Quiz.prototype.summary = function () {
    var self = this, ui = this.ui;
    this.clear();
    var notice = this.filterNotice();
    var heading = el("h2", { className: "k8skb-quiz-heading", tabindex: "-1",
      text: ui.score + ": " + this.score + "/" + this.questions.length });
    if (notice) heading.setAttribute("aria-describedby", notice);
    this.root.appendChild(heading);
    this.root.setAttribute("data-score", this.score + "/" + this.questions.length);
    if (this.missed.length) {
      this.root.appendChild(el("h3", { text: ui.review_list }));
      var list = el("ol", { className: "k8skb-quiz-review" });
      this.missed.forEach(function (q) {
        var item = el("li", { "data-qid": q.id });
        item.appendChild(multiline("p", q.prompt, ""));
        item.appendChild(self.answerLine(q, {}));
        item.appendChild(self.termLinks(q));
        list.appendChild(item);
      });
      this.root.appendChild(list);
    } else {
      this.root.appendChild(el("p", { text: ui.no_missed }));
    }
    var again = el("button", { type: "button", className: "md-button md-button--primary", text: ui.again });
    again.addEventListener("click", function () { self.setup(); });
    this.root.appendChild(el("p", {}, [again]));
    this.root.setAttribute("data-state", "summary");
    heading.focus();
  };

  // ---- start ----------------------------------------------------------------------------------

  function boot() {
    var root = document.getElementById("k8skb-quiz");
    if (!root || root.getAttribute("data-booted")) return;
    root.setAttribute("data-booted", "1");
    var lang = root.getAttribute("data-lang") || document.documentElement.lang || "ja";
    lang = lang.indexOf("en") === 0 ? "en" : "ja";
    var url = new URL("quiz/bank." + lang + ".json", script ? script.src : window.location.href);
    root.setAttribute("aria-busy", "true");
    fetch(url.href, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (bank) {
        root.removeAttribute("aria-busy");
        var quiz = new Quiz(root, bank);
        window.k8skbQuiz = quiz;
        var p = quiz.params;
        if (quiz.term || p.get("start") === "1") {
          quiz.setup();
          quiz.start(p.get("category") || "", parseInt(p.get("count") || "10", 10), false);
        } else {
          quiz.setup();
        }
      })
      .catch(function () {
        root.removeAttribute("aria-busy");
        root.textContent = root.getAttribute("data-error") || "Could not load the questions.";
      });
  }

  var lib = { review: review, mulberry32: mulberry32, selectQuestions: selectQuestions, isCorrect: isCorrect,
    spans: spans };
  if (typeof module !== "undefined" && module.exports) module.exports = lib; // node: the drift test
  if (!hasDom) return;
  window.k8skbQuizLib = lib;
  // The page places this script right after its container: start at once (fetching the bank while
  // the theme's own scripts still load) and fall back to DOMContentLoaded if the container is later.
  if (document.getElementById("k8skb-quiz") || document.readyState !== "loading") boot();
  else document.addEventListener("DOMContentLoaded", boot);
})();
