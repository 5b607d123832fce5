// "Use my location": asks the browser for the position, rounds it to about 1 km, and submits the search form.
// The position goes only into this one search's query string; Clearline never stores it.
(function () {
  "use strict";
  var button = document.querySelector(".directory-search .near-me");
  if (!button || !("geolocation" in navigator)) return;
  var form = button.closest("form");
  var status = form.querySelector(".near-me-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(2);
        form.elements.lon.value = position.coords.longitude.toFixed(2);
        form.elements.place.value = "";
        form.submit();
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
})();
