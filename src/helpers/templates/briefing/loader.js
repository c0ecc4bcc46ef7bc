/* Draws every chart of a briefing, offline.
   plotly.js is embedded once, gzip-compressed and base64-encoded (#gq-plotly-gz); it is decompressed with
   the browser's DecompressionStream, evaluated once, then each JSON block
   <script type="application/vnd.gaoqi.plotly+json" data-target="ID"> is drawn into the div ID.
   <html data-charts="ready|failed"> tells tests and printing when drawing is done. */
(function () {
  "use strict";
  function drawAll() {
    var blocks = document.querySelectorAll('script[type="application/vnd.gaoqi.plotly+json"]');
    var pending = [];
    blocks.forEach(function (el) {
      var div = document.getElementById(el.getAttribute("data-target"));
      if (!div) { return; }
      var spec = JSON.parse(el.textContent);
      var config = Object.assign({ responsive: true, displaylogo: false }, spec.config || {});
      pending.push(window.Plotly.newPlot(div, spec.data, spec.layout, config));
    });
    return Promise.all(pending);
  }
  function fail(err) {
    document.documentElement.setAttribute("data-charts", "failed");
    document.querySelectorAll(".gq-chart").forEach(function (div) {
      div.textContent = "图表无法显示(浏览器不支持) / chart unavailable in this browser";
    });
    if (window.console) { console.warn("charts not drawn:", err); }
  }
  async function loadPlotly() {
    if (window.Plotly) { return; }
    var b64 = document.getElementById("gq-plotly-gz").textContent.trim();
    var bin = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"));
    var code = await new Response(stream).text();
    var s = document.createElement("script");
    s.textContent = code;
    document.head.appendChild(s);
  }
  function start() {
    loadPlotly().then(drawAll).then(function () {
      document.documentElement.setAttribute("data-charts", "ready");
    }).catch(fail);
  }
  window.addEventListener("beforeprint", function () {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".gq-chart .js-plotly-plot, .gq-chart.js-plotly-plot").forEach(function (d) {
      window.Plotly.Plots.resize(d);
    });
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
