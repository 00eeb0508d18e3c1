// k8skb glossary index: a tag filter over data attributes. Without JavaScript every term stays
// listed and the filter bar stays hidden; with it, choosing a tag hides the other terms and any
// category left empty (its heading, list and overview link).
(function () {
  "use strict";
  var bar = document.querySelector("[data-k8skb-tagfilter]");
  if (!bar) return;
  bar.hidden = false;
  var lists = document.querySelectorAll(".k8skb-termlist");

  function heading(list) {
    var el = list.previousElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) el = el.previousElementSibling;
    return el;
  }

  function apply(tag) {
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
      list.hidden = shown === 0;
      var h = heading(list);
      if (h) h.hidden = shown === 0;
      var link = list.nextElementSibling;
      if (link && link.classList.contains("k8skb-catlink")) link.hidden = shown === 0;
    });
  }

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-tag]");
    if (button) apply(button.getAttribute("data-tag"));
  });
  apply("");
})();
