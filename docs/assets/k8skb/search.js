// k8skb search: answers Material's search box with Pagefind (static, offline, one index per language).
// Flow: the reader focuses the box → the first keystroke loads pagefind.js from the site root (it
// picks the index matching <html lang>) → each query (debounced) fetches only the chunks it needs →
// the first results are rendered with Material's own result markup. Excerpts are rebuilt from text
// nodes and <mark> only, so nothing from the index is ever inserted as HTML.
// Keyboard: "/" or "s" opens the search; typing searches; ArrowDown moves from the box into the
// results and ArrowUp/ArrowDown between them (Tab and Shift+Tab work too); Enter in the box opens
// the first result; Escape closes the search and leaves the focus in the box (closed until you type
// again); leaving the dialog with Tab closes it. The result count is a role="status" line.
(function () {
  "use strict";
  var box = document.querySelector("[data-k8skb-search]");
  if (!box) return;
  var input = box.querySelector("[data-k8skb-search-query]");
  var result = box.querySelector("[data-k8skb-search-result]");
  var meta = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var root = new URL(box.getAttribute("data-pagefind-root") || "./", document.baseURI);
  var placeholder = meta.textContent;
  var loading = null;
  var quiet = false; // true while the focus returns to the box after Escape: it must not reopen it
  var MAX_RESULTS = 10;

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname }).then(function () { return pf; });
      });
    }
    return loading;
  }

  function open(state) {
    if (toggle && toggle.checked !== state) toggle.checked = state;
  }

  function safeExcerpt(html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createElement("p");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function count(n) {
    if (n === 0) return result.getAttribute("data-none");
    if (n === 1) return result.getAttribute("data-one");
    return result.getAttribute("data-other").replace("#", String(n));
  }

  function render(total, items) {
    list.textContent = "";
    meta.textContent = count(total);
    items.forEach(function (data) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = data.url;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var h = document.createElement("h1");
      h.textContent = (data.meta && data.meta.title) || data.url;
      article.appendChild(h);
      article.appendChild(safeExcerpt(data.excerpt || ""));
      a.appendChild(article);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function search() {
    var query = input.value.trim();
    if (query) open(true);
    if (!query) {
      list.textContent = "";
      meta.textContent = placeholder;
      return;
    }
    pagefind().then(function (pf) {
      return pf.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (!found || input.value.trim() !== query) return;
      return Promise.all(found.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }))
        .then(function (items) { render(found.results.length, items); });
    }).catch(function (err) {
      meta.textContent = String(err);
    });
  }

  function results() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function closeToBox() {
    open(false);
    quiet = true;
    input.focus();
    quiet = false;
  }

  input.addEventListener("focus", function () { if (!quiet) open(true); pagefind(); });
  input.addEventListener("input", search);
  input.addEventListener("keyup", function (event) {
    if (event.key !== "Escape" && event.key !== "Enter" && event.key.indexOf("Arrow") !== 0) search();
  });
  box.querySelector("form").addEventListener("reset", function () {
    setTimeout(function () { search(); input.focus(); }, 0);
  });
  box.addEventListener("focusout", function (event) {
    if (toggle && toggle.checked && event.relatedTarget && !box.contains(event.relatedTarget)) open(false);
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus(); else if (document.activeElement === input) input.blur();
    });
  }
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "");
    var links = results();
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape" && toggle && toggle.checked) {
      if (box.contains(document.activeElement)) closeToBox();
      else open(false);
    } else if (event.key === "ArrowDown" && (event.target === input || at >= 0) && links.length) {
      event.preventDefault();
      open(true);
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus(); else links[at - 1].focus();
    } else if (!typing && (event.key === "/" || event.key === "s") && !event.ctrlKey && !event.metaKey &&
               !event.altKey && !(event.target && event.target.isContentEditable)) {
      event.preventDefault();
      open(true);
      input.focus();
    } else if (event.key === "Enter" && event.target === input && links.length) {
      window.location.href = links[0].href;
    }
  });
})();
