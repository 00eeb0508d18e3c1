// k8skb glossary index: a tag filter over data attributes. Without JavaScript every term stays
// listed and the filter bar stays hidden; with it, choosing a tag hides the other terms and any
// category left empty (its heading, list and overview link). The buttons are toggle buttons
// (aria-pressed); after a choice, a visually hidden status line says how many terms are shown.
(function () {
  "use strict";
  var bar = document.querySelector("[data-k8skb-tagfilter]");
  if (!bar) return;
  bar.hidden = false;
  var lists = document.querySelectorAll(".k8skb-termlist");
  var status = bar.querySelector("[data-k8skb-filter-status]");

  function heading(list) {
    var el = list.previousElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) el = el.previousElementSibling;
    return el;
  }

  function apply(tag, announce) {
    var total = 0;
    bar.querySelectorAll("button[data-tag]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-tag") === tag));
      b.classList.toggle("md-button--primary", b.getAttribute("data-tag") === tag);
    });
    lists.forEach(function (list) {
      var shown = 0;
      list.querySelectorAll("li[data-tags]").forEach(function (li) {
        var match = !tag || li.getAttribute("data-tags").split(" ").indexOf(tag) >= 0;
        li.hidden = !match;
        if (match) shown += 1;
      });
      total += shown;
      list.hidden = shown === 0;
      var h = heading(list);
      if (h) h.hidden = shown === 0;
      var link = list.nextElementSibling;
      if (link && link.classList.contains("k8skb-catlink")) link.hidden = shown === 0;
    });
    if (status && announce) status.textContent = status.getAttribute("data-template").replace("{n}", total);
  }

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-tag]");
    if (button) apply(button.getAttribute("data-tag"), true);
  });
  apply("", false);
})();
