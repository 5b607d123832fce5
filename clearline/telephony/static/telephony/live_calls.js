// The live calls page (telephony/admin_calls.py): refresh both tables from the staff-only JSON every few seconds.
// A static file of the project's own (no inline script, nothing from another host). Rows are built with
// textContent only, so nothing in the data is ever read as HTML. Without JavaScript the page is the same, static.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-live-url");
  var seconds = Math.max(2, parseInt(root.getAttribute("data-refresh-seconds"), 10) || 5);
  var callLabel = root.getAttribute("data-call-label") || "Call";

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function render(name, rows) {
    var table = root.querySelector('[data-live-table="' + name + '"]');
    var empty = root.querySelector('[data-live-empty="' + name + '"]');
    if (!table || !empty) {
      return;
    }
    var body = document.createElement("tbody");
    rows.forEach(function (call) {
      var tr = document.createElement("tr");
      var link = document.createElement("a");
      link.href = call.url;
      link.textContent = callLabel + " " + call.id;
      cell(tr, "").appendChild(link);
      cell(tr, call.started);
      cell(tr, call.number);
      cell(tr, call.caller_tag || "\u2014");
      cell(tr, call.state);
      cell(tr, call.ringing.length ? call.ringing.join(", ") : "\u2014");
      cell(tr, call.outcome);
      body.appendChild(tr);
    });
    var old = table.querySelector("tbody");
    if (old) {
      table.replaceChild(body, old);
    } else {
      table.appendChild(body);
    }
    table.hidden = rows.length === 0;
    empty.hidden = rows.length !== 0;
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        render("in_progress", data.in_progress);
        render("recent", data.recent);
        var updated = root.querySelector("[data-live-updated]");
        if (updated) {
          updated.textContent = data.updated;
        }
      })
      .catch(function () {
        // Signed out or the server is away: keep the last table and try again at the next tick.
      })
      .then(function () {
        window.setTimeout(refresh, seconds * 1000);
      });
  }

  window.setTimeout(refresh, seconds * 1000);
})();
