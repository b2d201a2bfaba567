// Draws each chart from the JSON beside it; plotly.js is inlined above, nothing is fetched.
(function () {
  "use strict";
  var config = { displaylogo: false, responsive: true, displayModeBar: false };
  var charts = document.querySelectorAll("[data-chart]");
  for (var i = 0; i < charts.length; i++) {
    var area = charts[i];
    var spec = JSON.parse(document.getElementById(area.getAttribute("data-chart")).textContent);
    Plotly.newPlot(area, spec.data, spec.layout, config).then(function (drawn) {
      drawn.setAttribute("data-drawn", "true");
    });
  }
})();
