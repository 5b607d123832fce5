// Refreshes the "N min left" text of callback deadlines once a minute. The server already wrote the same text,
// so without JavaScript the page is only as old as its last load.
(function () {
  "use strict";
  function refresh() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var seconds = (Date.parse(el.dataset.due) - now) / 1000;
      var minutes = seconds >= 0 ? Math.ceil(seconds / 60) : Math.ceil(-seconds / 60);
      var template = seconds >= 0 ? el.dataset.left : el.dataset.overdue;
      el.textContent = template.replace("%(n)s", String(minutes));
      el.closest("tr").classList.toggle("overdue", seconds < 0);
    });
  }
  setInterval(refresh, 30000);
})();
