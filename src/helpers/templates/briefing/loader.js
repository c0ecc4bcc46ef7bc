/* Draws the charts of a briefing, offline, as they come into view; all of them before printing.
   plotly.js is embedded once, gzip-compressed and base64-encoded (#gq-plotly-gz). Decompressing it starts as soon
   as this script runs (in <head>, while the body is still being parsed) with the browser's DecompressionStream.
   Each JSON block (a script element of type application/vnd.gaoqi.plotly+json) is drawn into the div its
   data-target attribute names:
   - on screen, the first chart and every chart near the viewport at once, the others when they scroll near
     (IntersectionObserver) or, one at a time, whenever the browser is idle: the first screen does not wait for
     the fourteen charts below it;
   - for printing (beforeprint, or a print media query that matches, as when a PDF is printed) every chart is
     drawn at the width of the printed text column, so it spans the page with its title and legend whole.
   State for people and tests on the html element:
     data-first-screen="ready"  the first screen (title, summary table, first chart) is drawn;
                                data-first-screen-ms says when, in ms since navigation start;
     data-charts="ready|failed" every chart is drawn (after scrolling through, or for printing) / drawing failed.
   window.gaoqiCharts.drawAll() draws everything and resolves when done. */
(function () {
  "use strict";
  /* A4 (210 mm) less the page margins of briefing.css (@page, 12 mm each side), in CSS px (96 per inch). */
  var PRINT_WIDTH = Math.floor((210 - 2 * 12) / 25.4 * 96);
  /* extra top margin that gives a top legend its own row below the title and subtitle */
  var LEGEND_ROW = 36;
  var root = document.documentElement;
  var charts = [];
  var printing = false;
  var plotlyReady = null;

  function mark(name) { if (window.performance && performance.mark) { performance.mark(name); } }

  function decodeBase64(b64) {  /* browsers without Uint8Array.fromBase64 */
    var text = atob(b64);
    var bin = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bin[i] = text.charCodeAt(i); }
    return bin;
  }

  function loadPlotly() {
    if (plotlyReady) { return plotlyReady; }
    plotlyReady = (async function () {
      if (window.Plotly) { return; }
      var b64 = document.getElementById("gq-plotly-gz").textContent.trim();
      var bin = Uint8Array.fromBase64 ? Uint8Array.fromBase64(b64) : decodeBase64(b64);
      mark("gq-plotly-unpacked");
      var stream = new Blob([bin]).stream().pipeThrough(new DecompressionStream("gzip"));
      var code = await new Response(stream).text();
      mark("gq-plotly-decompressed");
      var s = document.createElement("script");
      s.textContent = code;
      document.head.appendChild(s);
      mark("gq-plotly-ready");
    })();
    return plotlyReady;
  }

  /* The figure's layout, adapted to where it is drawn: a horizontal legend above the plot gets its own row
     under the title and subtitle (they never run into each other however narrow the page); when printing, the
     figure takes the printed column's width instead of the screen's. */
  function adapt(layout, data) {
    var out = Object.assign({}, layout);
    var legend = out.legend || {};
    var entries = (data || []).filter(function (t) { return t.showlegend !== false; }).length;
    var hasLegend = out.showlegend === true || (out.showlegend !== false && entries > 1);
    if (hasLegend && legend.orientation === "h" && (legend.y === undefined || legend.y >= 1)) {
      var margin = Object.assign({ t: 80 }, out.margin || {});
      out.legend = Object.assign({}, legend, { y: 1.0, yanchor: "bottom", x: 0, xanchor: "left" });
      out.margin = Object.assign({}, margin, { t: margin.t + LEGEND_ROW });
      out.height = (out.height || 380) + LEGEND_ROW;
      /* title and subtitle pinned to the top, so the extra room goes to the legend, not to the title */
      out.title = Object.assign({}, out.title || {}, { yref: "container", y: 1, yanchor: "top", pad: { t: 14 } });
    }
    if (printing) { out.width = PRINT_WIDTH; out.autosize = false; }
    return out;
  }

  function draw(chart) {
    if (!chart.drawn) {
      var spec = JSON.parse(chart.el.textContent);
      var layout = adapt(spec.layout || {}, spec.data);
      chart.div.style.height = (layout.height || 380) + "px";
      var config = Object.assign({ responsive: true, displaylogo: false }, spec.config || {});
      chart.drawn = window.Plotly.newPlot(chart.div, spec.data, layout, config).then(fitTitle).then(fitLegend);
      chart.drawn.then(settled, fail);
    } else if (printing && chart.width !== PRINT_WIDTH) {
      window.Plotly.relayout(chart.div, { width: PRINT_WIDTH, autosize: false });
      fitLegend(fitTitle(chart.div));
    }
    chart.width = printing ? PRINT_WIDTH : null;
    return chart.drawn;
  }

  /* Plotly never wraps a title: one longer than the figure is cut at its right edge. Shrink it to fit, down to
     MIN_TITLE px; below that, break it after its colon (or at the middle space) instead. */
  var MIN_TITLE = 12;
  function fitTitle(div) {
    var full = div._fullLayout;
    var el = div.querySelector(".g-gtitle .gtitle");
    if (!full || !el) { return div; }
    var box = el.getBBox();
    var room = full.width - box.x - 8;
    if (box.width <= room) { return div; }
    var size = (full.title.font && full.title.font.size) || 17;
    var fitted = Math.floor(size * room / box.width);
    if (fitted >= MIN_TITLE) {
      window.Plotly.relayout(div, { "title.font.size": fitted });
      return div;
    }
    var text = full.title.text;
    var at = Math.max(text.lastIndexOf(":"), text.lastIndexOf("\uff1a"));
    if (at < 0) { at = text.indexOf(" ", Math.floor(text.length / 2)); }
    if (at > 0) {
      var extra = Math.ceil(size * 1.3);
      var height = full.height + extra;
      div.style.height = height + "px";
      window.Plotly.relayout(div, {
        "title.text": text.slice(0, at + 1) + "<br>" + text.slice(at + 1).trim(),
        "margin.t": full.margin.t + extra,
        height: height
      });
    }
    return div;
  }

  /* A legend above the plot must sit below the title and subtitle: if it reaches into them (a long subtitle, a
     broken title), push the plot down by the overlap. */
  function fitLegend(div) {
    var full = div._fullLayout;
    var legend = div.querySelector(".legend");
    var texts = div.querySelectorAll(".g-gtitle .gtitle, .gtitle-subtitle");
    if (!full || !legend || !texts.length) { return div; }
    var top = legend.getBoundingClientRect().top;
    var bottom = Math.max.apply(null, Array.prototype.map.call(texts, function (t) {
      return t.getBoundingClientRect().bottom;
    }));
    var overlap = Math.ceil(bottom - top) + 4;
    if (overlap > 4) {
      var height = full.height + overlap;
      div.style.height = height + "px";
      window.Plotly.relayout(div, { "margin.t": full.margin.t + overlap, height: height });
    }
    return div;
  }

  function settled() {
    if (charts.every(function (c) { return c.drawn; }) && root.getAttribute("data-charts") !== "failed") {
      Promise.all(charts.map(function (c) { return c.drawn; })).then(function () {
        root.setAttribute("data-charts", "ready");
      }, fail);
    }
  }

  function drawAll() {
    return loadPlotly().then(function () {
      return Promise.all(charts.map(draw));
    }).then(function () { root.setAttribute("data-charts", "ready"); }, fail);
  }

  function fail(err) {
    root.setAttribute("data-charts", "failed");
    root.setAttribute("data-first-screen", "failed");
    document.querySelectorAll(".gq-chart").forEach(function (div) {
      if (!div.classList.contains("js-plotly-plot")) {
        div.textContent = "图表无法显示（浏览器不支持） / chart unavailable in this browser";
      }
    });
    if (window.console) { console.warn("charts not drawn:", err); }
  }

  function firstScreenReady() {
    if (!root.hasAttribute("data-first-screen")) {
      mark("gq-first-screen");
      root.setAttribute("data-first-screen", "ready");
      root.setAttribute("data-first-screen-ms", String(Math.round(performance.now())));
    }
  }

  /* Once the first screen is up, the charts not yet in view are drawn one at a time whenever the browser is idle,
     so a reader who jumps straight to a later section (End key, a link) finds it drawn, and every chart is ready
     even when a scroll went past it faster than the browser could notice. */
  function drawRestWhenIdle() {
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
    var next = function () {
      var chart = charts.find(function (c) { return !c.drawn; });
      if (chart) { draw(chart).then(function () { idle(next); }, fail); }
    };
    idle(next);
  }

  function beforePrint() {
    if (printing) { return; }
    printing = true;
    if (window.Plotly) { charts.forEach(draw); }  /* synchronous: the print layout is taken right after */
  }

  function afterPrint() {
    if (!printing) { return; }
    printing = false;
    charts.forEach(function (c) {
      if (c.drawn && c.width) { window.Plotly.relayout(c.div, { width: null, autosize: true }); c.width = null; }
    });
  }

  function start() {
    document.querySelectorAll('script[type="application/vnd.gaoqi.plotly+json"]').forEach(function (el) {
      var div = document.getElementById(el.getAttribute("data-target"));
      if (div) { charts.push({ el: el, div: div, drawn: null, width: null }); }
    });
    var print = window.matchMedia && window.matchMedia("print");
    if (print && print.matches) { printing = true; }
    if (printing || !("IntersectionObserver" in window)) {
      drawAll().then(firstScreenReady);
      return;
    }
    loadPlotly().then(function () {
      var first = charts.length ? [draw(charts[0])] : [];
      var observer = new IntersectionObserver(function (entries) {
        var now = [];
        entries.forEach(function (e) {
          if (!e.isIntersecting) { return; }
          observer.unobserve(e.target);
          var chart = charts.find(function (c) { return c.div === e.target; });
          if (chart) { now.push(draw(chart)); }
        });
        if (first) {
          Promise.all(first.concat(now)).then(function () { firstScreenReady(); drawRestWhenIdle(); }, fail);
          first = null;
        }
      }, { rootMargin: "0px 0px 120px 0px" });
      charts.forEach(function (c) { observer.observe(c.div); });
      if (!charts.length) { firstScreenReady(); root.setAttribute("data-charts", "ready"); }
    }).catch(fail);
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { beforePrint(); } else { afterPrint(); } };
    if (mq.addEventListener) { mq.addEventListener("change", onChange); } else if (mq.addListener) { mq.addListener(onChange); }
  }
  window.gaoqiCharts = { drawAll: drawAll };
  loadPlotly().catch(fail);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
