// k8skb: keyboard access to Material's header controls that are labels or hidden radios.
// - The colour palette: Material leaves both radios unchecked on load, so Tab reached the first
//   radio whatever the scheme, and its toggle icon could be the hidden one. The radio of the shown
//   scheme is checked here (Tab lands on it, the arrow keys switch), and Space on it works like a
//   click on the visible toggle, as Enter already does (Material); the ring shows on that toggle.
// - Escape closes the navigation drawer of narrow screens and puts the focus back on its button.
// - The menu and search icons of narrow screens are <label>s (templates make them tabindex="0"
//   role="button"): Space clicks them, as Enter does (Material), as they would a button.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input.md-option[data-md-color-scheme]");

  function syncPalette() {
    var scheme = document.body.getAttribute("data-md-color-scheme");
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].getAttribute("data-md-color-scheme") === scheme) {
        if (!radios[i].checked) radios[i].checked = true;
        return;
      }
    }
  }

  if (radios.length) {
    syncPalette();
    window.addEventListener("load", syncPalette);
    new MutationObserver(syncPalette).observe(document.body, { attributeFilter: ["data-md-color-scheme"] });
    radios.forEach(function (radio) {
      radio.addEventListener("keydown", function (event) {
        if (event.key !== " ") return; // Material's own handler already answers Enter this way
        var form = radio.form || radio.parentNode;
        var toggle = form.querySelector("label.md-header__button:not([hidden])");
        if (!toggle) return;
        event.preventDefault();
        toggle.click();
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var drawer = document.getElementById("__drawer");
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.checked = false;
      var button = document.querySelector("label.md-header__button[for=__drawer]");
      if (button) button.focus();
      return;
    }
    // Enter on a focused label is already a click (Material); Space is added here
    if (event.key === " " && target && target.tagName === "LABEL" && target.getAttribute("role") === "button") {
      event.preventDefault();
      target.click();
    }
  });
})();
