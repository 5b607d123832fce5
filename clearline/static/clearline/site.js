/* Clearline: the "Where do calls go?" dialog and the sticky bar's scroll padding. No third-party code.
   Without JavaScript the trigger stays a plain link to /where-do-calls-go/. */
(function () {
  "use strict";

  function focusables(root) {
    return Array.prototype.filter.call(
      root.querySelectorAll('a[href], button:not([disabled]), input, select, textarea, [tabindex]:not([tabindex="-1"])'),
      function (el) { return el.offsetParent !== null || el === document.activeElement; }
    );
  }

  function setUpDialog(dialog) {
    if (typeof dialog.showModal !== "function") { return; }
    var opener = null;
    var triggers = document.querySelectorAll('[data-dialog="' + dialog.id + '"]');
    Array.prototype.forEach.call(triggers, function (trigger) {
      trigger.setAttribute("role", "button");
      trigger.setAttribute("aria-haspopup", "dialog");
      trigger.setAttribute("aria-controls", dialog.id);
      trigger.addEventListener("click", function (event) {
        event.preventDefault();
        opener = trigger;
        dialog.showModal();
        var first = dialog.querySelector("[data-dialog-initial-focus]") || focusables(dialog)[0];
        if (first) { first.focus(); }
      });
      // A link acting as a button must also answer the space bar.
      trigger.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); trigger.click(); }
      });
    });
    Array.prototype.forEach.call(dialog.querySelectorAll("[data-dialog-close]"), function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
    // Keep Tab and Shift+Tab inside the dialog (Esc is handled by <dialog> itself).
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") { return; }
      var items = focusables(dialog);
      if (!items.length) { event.preventDefault(); return; }
      var first = items[0], last = items[items.length - 1];
      var inside = dialog.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside || document.activeElement === dialog.querySelector("[data-dialog-initial-focus]"))) {
        event.preventDefault(); last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault(); first.focus();
      }
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) { dialog.close(); } });
    dialog.addEventListener("close", function () { if (opener) { opener.focus(); opener = null; } });
  }

  function trackBarHeight() {
    var bar = document.querySelector("[data-sticky-bar]");
    if (!bar) { return; }
    function update() {
      var sticky = window.getComputedStyle(bar).position === "sticky";
      document.documentElement.style.setProperty("--bar-height", (sticky ? bar.offsetHeight : 0) + "px");
    }
    update();
    window.addEventListener("resize", update);
    // When Tab lands on something the sticky bar would hide, scroll it into the clear.
    // The browser scrolls a newly focused element into view after focusin, so check on the next frame too.
    function uncover(target) {
      if (bar.contains(target) || window.getComputedStyle(bar).position !== "sticky") { return; }
      var rect = target.getBoundingClientRect();
      var barBottom = bar.getBoundingClientRect().bottom;
      if (rect.top < barBottom && rect.bottom > 0) {
        window.scrollBy({ top: rect.top - barBottom - 16, left: 0, behavior: "instant" });
      }
    }
    document.addEventListener("focusin", function (event) {
      uncover(event.target);
      window.requestAnimationFrame(function () { uncover(event.target); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("where-calls-go-dialog");
    if (dialog) { setUpDialog(dialog); }
    trackBarHeight();
  });
})();
