/* Draws the figures pages' charts with Chart.js (reports/vendor/chart.umd.min.js, served from our own static
   files). Each <canvas data-chart="ID"> reads its data from the JSON element ID (Django's json_script: data, not
   code, so no inline script runs). Series differ by pattern, dash and point shape as well as colour; every chart
   has a table with the same numbers next to it, so the page says everything without this script. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function pattern(color, index) {
    // Solid for the first series, diagonal stripes for the second, dots for the third, cross-hatch after that.
    if (index === 0) {
      return color;
    }
    var size = 8;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    if (index === 1) {
      ctx.beginPath();
      ctx.moveTo(0, size);
      ctx.lineTo(size, 0);
      ctx.stroke();
    } else if (index === 2) {
      ctx.beginPath();
      ctx.arc(size / 2, size / 2, 2, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.beginPath();
      ctx.moveTo(0, 0);
      ctx.lineTo(size, size);
      ctx.moveTo(0, size);
      ctx.lineTo(size, 0);
      ctx.stroke();
    }
    return ctx.createPattern(tile, "repeat");
  }

  function dataset(spec, index, kind) {
    var type = spec.type || kind;
    return {
      type: type,
      label: spec.label,
      data: spec.data,
      borderColor: spec.color,
      backgroundColor: type === "bar" ? pattern(spec.color, index) : spec.color,
      borderWidth: 2,
      borderDash: spec.dash,
      pointStyle: spec.point,
      pointRadius: type === "line" ? 4 : 0,
      fill: false,
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var holder = canvas.closest("[data-figures-chart]");
    if (holder) {
      holder.hidden = false;
    }
    var suffix = spec.percent ? "%" : "";
    var horizontal = spec.kind === "bar" && spec.labels.length <= 8;
    var valueScale = {
      beginAtZero: true,
      ticks: {
        color: "#1b1f24",
        precision: 0,
        callback: function (value) {
          return value + suffix;
        },
      },
      title: { display: Boolean(spec.yLabel), text: spec.yLabel, color: "#1b1f24" },
    };
    if (spec.percent) {
      valueScale.max = 100;
    }
    var categoryScale = { ticks: { color: "#1b1f24", autoSkip: true } };
    new window.Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (each, index) {
          return dataset(each, index, spec.kind);
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { labels: { usePointStyle: true, color: "#1b1f24" } },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.raw === null ? "—" : item.raw + suffix;
                return item.dataset.label + ": " + value;
              },
            },
          },
        },
        scales: horizontal ? { x: valueScale, y: categoryScale } : { x: categoryScale, y: valueScale },
      },
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
