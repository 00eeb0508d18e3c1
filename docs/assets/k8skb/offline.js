/* k8skb offline: register the service worker (sw.js at the site root, written at build time by
 * k8skb.site.offline) so that after one visit every page of both languages, the quiz and search work
 * without a network. The site root is two folders above this script (assets/k8skb/offline.js).
 * Nothing happens where service workers are unavailable, or when sw.js is absent (mkdocs serve). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var root = new URL("../../", script.src);
  function register() {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .catch(function () { /* no worker: the site still works online */ });
  }
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
