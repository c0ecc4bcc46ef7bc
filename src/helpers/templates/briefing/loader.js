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
      chart.drawn = window.Plotly.newPlot(chart.div, spec.data, layout, config).then(function () {
        fitTicks(chart);
        fit(chart);
        /* the screen turned or the window was resized (plotly.js redraws at the new width): fit again */
        chart.div.on("plotly_relayout", function (update) {
          var resized = update && update.autosize === true && Object.keys(update).length === 1;
          if (resized && !printing) { fit(chart); }
        });
      });
      chart.drawn.then(settled, fail);
    } else if (printing && chart.width !== PRINT_WIDTH) {
      window.Plotly.relayout(chart.div, { width: PRINT_WIDTH, autosize: false });
      fit(chart);  /* synchronous too: the print layout is taken right after */
    }
    chart.width = printing ? PRINT_WIDTH : null;
    return chart.drawn;
  }

  /* Plotly never wraps a title, subtitle or annotation: text longer than the figure is cut at its right edge (on a
     390 px phone most titles and every source line were, and the page grew wider than the screen). fit() sets
     a chart's texts for the width it is drawn at, always starting from the figure's own texts, so what a phone
     wrapped never outlives a wider screen or the printed page:
     - a title too long is shrunk to fit, down to MIN_TITLE px (its subtitle follows at 0.7 of it, so never below
       10 px); below that it keeps its size and is broken after its colon and, where still too long, wrapped at
       spaces or between Chinese characters, the title and subtitle then pinned to the top;
     - a subtitle too long is wrapped the same way;
     - a foot line (source and data cut-off, the annotation named "foot") too long beside the plot first moves
       left, under the axis labels, to line up with the title, and is wrapped if still too long; it moves down
       when the x axis's labels reach into it (slanted on a narrow plot);
     - the plot moves down (top margin) and the figure grows by what the extra lines take, so nothing overlaps.
     A chart whose texts fit, as every chart on a desktop screen, is left exactly as plotly drew it. */
  var MIN_TITLE = 14;
  var EDGE = 8;          /* px kept free at the figure's right edge */
  var PLOT_GAP = 12;     /* px between a wrapped subtitle and the plot below it */
  var TITLE_PAD = 14;    /* title.pad.t of a pinned title (as adapt() pins one above a legend) */

  function fit(chart) {
    var div = chart.div;
    var full = div._fullLayout;
    if (!full) { return; }
    if (!chart.base) { chart.base = baseTexts(div, full); chart.applied = JSON.stringify(chart.base.state); }
    var base = chart.base;
    var want = fittedTexts(div, full, base);
    var key = JSON.stringify(want);
    var changed = key !== JSON.stringify(base.state);
    if (key !== chart.applied) {
      var update = {
        "title.text": want.title, "title.font.size": want.titleSize, "title.subtitle.text": want.subtitle,
        "margin.t": base.marginT, "margin.b": base.marginB
      };
      var pin = want.pinned ? { yref: "container", y: 1, yanchor: "top", pad: TITLE_PAD } : base.titlePlace;
      update["title.yref"] = pin.yref; update["title.y"] = pin.y;
      update["title.yanchor"] = pin.yanchor; update["title.pad.t"] = pin.pad;
      want.feet.forEach(function (f) {
        update["annotations[" + f.index + "].text"] = f.text;
        update["annotations[" + f.index + "].x"] = f.x;
        update["annotations[" + f.index + "].yshift"] = f.yshift;
        update["annotations[" + f.index + "].align"] = f.align;
      });
      relayoutHeight(div, update, base.height);
      chart.applied = key;
      if (want.pinned) { keepTitleTop(div, base.titleTop); }
    }
    clearTop(div, changed);
    if (want.feet.some(function (f, i) { return f.x !== base.state.feet[i].x || f.yshift !== base.state.feet[i].yshift; })) {
      clearBottom(div);
    }
  }

  /* Flat category labels under a narrow plot (the towns heatmap's target names, on a phone) ran into each other:
     where a label's line is wider than its column, every label is wrapped again to the column's width, and the
     bottom margin, the foot line and the figure grow by the lines added. Only an x axis whose labels are set flat
     (tickangle 0) is touched; plotly slants the others itself. */
  var TICK_LINE = 18;  /* px a line of a wrapped label takes, as charts.town_heatmap reserves it */
  function fitTicks(chart) {
    var div = chart.div, full = div._fullLayout;
    var ax = full && full.xaxis;
    var sample = div.querySelector(".xaxislayer-above .xtick text");
    if (!ax || ax.type !== "category" || ax.tickangle !== 0 || !sample) { return; }
    var cats = (ax._categories || []).map(String);
    var room = full._size.w / Math.max(cats.length, 1) - 6;
    var size = parseFloat(sample.style.fontSize) || 13;
    var measure = measurer(sample);
    var width = function (t) { return measure(t, size); };
    var lines = function (markup) { return markup.split(/<br\s*\/?>/i); };
    var tooWide = cats.some(function (c) { return lines(c).some(function (l) { return width(l) > room; }); });
    if (!tooWide) { measure.done(); return; }
    var text = cats.map(function (c) {
      var joined = lines(c).reduce(function (a, b) {
        return a + (CJK.test(a.slice(-1)) || CJK.test(b.charAt(0)) ? "" : " ") + b;
      });
      return wrap(joined, room, width, false).join("<br>");
    });
    measure.done();
    var count = function (list) { return Math.max.apply(null, list.map(function (t) { return lines(t).length; })); };
    var extra = Math.max(count(text) - count(cats), 0) * TICK_LINE;
    var update = { "xaxis.tickvals": cats, "xaxis.ticktext": text, "margin.b": full.margin.b + extra };
    (full.annotations || []).forEach(function (a, i) {
      if (a.name === "foot") { update["annotations[" + i + "].yshift"] = (a.yshift || 0) - extra; }
    });
    relayoutHeight(div, update, full.height + extra);
  }

  /* Relayout with a new figure height. Giving plotly.js a height fixes the width too (it stops following the
     screen); on screen the figure is autosized instead, to the div's width and the height set on the div. */
  function relayoutHeight(div, update, height) {
    div.style.height = height + "px";
    if (printing) { update.height = height; } else { update.autosize = true; }
    window.Plotly.relayout(div, update);
  }

  /* plotly.js draws a title of several lines higher than the same title on one line (its first line half out of
     the figure): move it back down to where the one-line title began. */
  function keepTitleTop(div, top) {
    var el = div.querySelector(".g-gtitle .gtitle");
    var full = div._fullLayout;
    if (!el || top === null) { return; }
    var shift = Math.round(top - (el.getBoundingClientRect().top - svgTop(div)));
    if (shift !== 0) { window.Plotly.relayout(div, { "title.pad.t": full.title.pad.t + shift }); }
  }

  function svgTop(div) { return div.querySelector("svg.main-svg").getBoundingClientRect().top; }

  /* The figure's texts and places as drawn from its JSON (the state every fit starts from). */
  function baseTexts(div, full) {
    var title = full.title || {};
    var titleEl = div.querySelector(".g-gtitle .gtitle");
    var feet = (full.annotations || []).map(function (a, i) {
      return { index: i, name: a.name, text: a.text, x: a.x, y: a.y, yshift: a.yshift || 0, align: a.align || "center",
               size: (a.font || {}).size };
    }).filter(function (a) { return a.name === "foot"; });
    return {
      titleSize: (title.font && title.font.size) || 17,
      subtitleSize: (title.subtitle && title.subtitle.font && title.subtitle.font.size) || 12,
      titlePlace: { yref: title.yref, y: title.y, yanchor: title.yanchor, pad: (title.pad || {}).t },
      titleTop: titleEl ? titleEl.getBoundingClientRect().top - svgTop(div) : null,
      marginT: full.margin.t, marginB: full.margin.b, height: full.height,
      state: {
        title: title.text || "", titleSize: null, subtitle: (title.subtitle && title.subtitle.text) || "",
        pinned: false,
        feet: feet.map(function (f) { return { index: f.index, text: f.text, x: f.x, yshift: f.yshift, align: f.align }; })
      },
      feet: feet
    };
  }

  /* The texts that fit the chart's present width. */
  function fittedTexts(div, full, base) {
    var s = base.state;
    var want = { title: s.title, titleSize: null, subtitle: s.subtitle, pinned: false, feet: [] };
    var titleEl = div.querySelector(".g-gtitle .gtitle");
    var subEl = div.querySelector(".gtitle-subtitle");
    var left = titleEl ? titleEl.getBBox().x : EDGE;
    var room = full.width - left - EDGE;
    var size = base.titleSize;
    var subSize = base.subtitleSize;
    if (titleEl && s.title) {
      var title = measurer(titleEl);
      var width = title(s.title, size);
      if (width > room) {
        var fitted = Math.floor(size * room / width);
        if (fitted >= MIN_TITLE) {
          want.titleSize = fitted;
          subSize = Math.round(fitted * 0.7);  /* plotly.js's own default for the subtitle */
        } else {
          var lines = wrap(s.title, room, function (t) { return title(t, size); }, true);
          want.title = lines.join("<br>");
          want.pinned = lines.length > 1;
        }
      }
      title.done();
    }
    if (subEl && s.subtitle) {
      var sub = measurer(subEl);
      if (sub(s.subtitle, subSize) > room) {
        var subLines = wrap(s.subtitle, room, function (t) { return sub(t, subSize); }, false);
        want.subtitle = subLines.join("<br>");
        want.pinned = want.pinned || subLines.length > 1;
      }
      sub.done();
    }
    var plot = full._size;
    var axis = axisLabels(div, full);
    base.feet.forEach(function (f) {
      var el = div.querySelector('.annotation[data-index="' + f.index + '"] .annotation-text');
      var out = { index: f.index, text: f.text, x: f.x, yshift: f.yshift, align: f.align };
      var footWidth = 0;
      if (el) {
        var foot = measurer(el);
        var footSize = f.size || 11;
        var at = plot.l + f.x * plot.w;
        var oneLine = foot(f.text, footSize);
        if (oneLine > full.width - at - EDGE) {
          out.x = (left - plot.l) / plot.w;
          out.align = "left";
          var footLines = wrap(f.text, full.width - left - EDGE, function (t) { return foot(t, footSize); }, false);
          out.text = footLines.join("<br>");
          footWidth = Math.max.apply(null, footLines.map(function (t) { return foot(t, footSize); }));
        } else {
          footWidth = oneLine;
        }
        foot.done();
      }
      /* below the x axis's labels and title it runs under (a narrow plot slants its tick labels, which then
         reach lower) */
      var from = plot.l + out.x * plot.w;
      var depth = -f.y * plot.h - f.yshift;
      var reach = Math.max.apply(null, [0].concat(axis.filter(function (a) {
        return a.left < from + footWidth && a.right > from;
      }).map(function (a) { return a.depth; })));
      if (depth < reach - 1) { out.yshift = f.yshift - Math.ceil(reach + 2 - depth); }
      want.feet.push(out);
    });
    return want;
  }

  /* The x axis's tick labels and title: where each spans across the figure and how far below the plot it
     reaches, in px. */
  function axisLabels(div, full) {
    var svg = div.querySelector("svg.main-svg").getBoundingClientRect();
    var plotBottom = svg.top + full._size.t + full._size.h;
    var parts = div.querySelectorAll(".xaxislayer-above .xtick text, .g-xtitle text");
    return Array.prototype.map.call(parts, function (t) {
      var box = t.getBoundingClientRect();
      return { left: box.left - svg.left, right: box.right - svg.left, depth: box.bottom - plotBottom };
    });
  }

  /* A function measuring text (plotly markup) in the font and style of the SVG text element ``sample``, at a
     given size; .done() removes its probe. */
  function measurer(sample) {
    var probe = document.createElementNS("http://www.w3.org/2000/svg", "text");
    probe.setAttribute("style", sample.getAttribute("style") || "");
    probe.setAttribute("visibility", "hidden");
    sample.parentNode.appendChild(probe);
    var measure = function (markup, size) {
      probe.style.fontSize = size + "px";
      probe.textContent = plainText(markup);
      return probe.getComputedTextLength();
    };
    measure.done = function () { probe.remove(); };
    return measure;
  }

  var decoder = document.createElement("textarea");
  function plainText(markup) {  /* plotly markup -> the characters shown: tags dropped, entities decoded */
    decoder.innerHTML = markup.replace(/<[^>]*>/g, "");
    return decoder.value;
  }

  /* Line breaking: between words, and between Chinese characters; never before closing punctuation (nor the
     separator dot) or after opening punctuation, so "：" or "，" never begins a line. */
  var ATOM = /&#?\w+;|<[^>]*>|[\s\S]/g;  /* an entity, a tag or one character */
  var CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  var NO_START = /[\s,.;:!?)\]%\u00b7\u2019\u201d\u2026\u3001\u3002\u300b\u300d\u300f\uff09\uff0c\uff1a\uff1b\uff01\uff1f]/;
  var NO_END = /[(\[\u2018\u201c\u300a\u300c\u300e\uff08]/;
  function breakBetween(prev, next) {
    var a = plainText(prev), b = plainText(next);
    if (!a || !b || NO_START.test(b) || NO_END.test(a)) { return false; }
    return /\s/.test(a) || CJK.test(a) || CJK.test(b);
  }

  /* ``markup`` in lines no wider than ``room`` px (as ``width`` measures them), at its own <br>s and in lines of
     even length. With ``colon``, broken after its last colon too (a title's "quantity: view" reads best so) unless
     that takes more lines, as when the quantity alone needs two and its last characters would stand alone. */
  function wrap(markup, room, width, colon) {
    var lines = wrapParts(markup.split(/<br\s*\/?>/i), room, width);
    var at = Math.max(markup.lastIndexOf(":"), markup.lastIndexOf("\uff1a"));
    if (colon && at > 0 && at < markup.length - 1 && !/<br/i.test(markup)) {
      var split = wrapParts([markup.slice(0, at + 1), markup.slice(at + 1)], room, width);
      if (split.length <= lines.length) { lines = split; }
    }
    return lines;
  }

  function wrapParts(parts, room, width) {
    var lines = [];
    parts.forEach(function (part) { lines = lines.concat(balanced(part.match(ATOM) || [], room, width)); });
    return lines;
  }

  /* As few lines as fit in ``room``, then the narrowest room that still needs no more lines: lines of about
     even length, not a full line and a last word alone. */
  function balanced(atoms, room, width) {
    var best = greedy(atoms, room, width);
    var lo = room / (best.length + 1);
    var hi = room;
    for (var i = 0; i < 8 && best.length > 1; i++) {
      var mid = (lo + hi) / 2;
      var lines = greedy(atoms, mid, width);
      if (lines.length <= best.length && lines.every(function (t) { return width(t) <= mid; })) {
        best = lines; hi = mid;
      } else {
        lo = mid;
      }
    }
    return best;
  }

  function greedy(atoms, room, width) {
    var lines = [];
    var start = 0;
    var text = function (from, to) { return atoms.slice(from, to).join("").trim(); };
    while (start < atoms.length && !atoms[start].trim()) { start++; }
    while (start < atoms.length) {
      if (width(text(start, atoms.length)) <= room) { lines.push(text(start, atoms.length)); break; }
      var end = -1;
      for (var i = start + 1; i < atoms.length; i++) {
        if (!breakBetween(atoms[i - 1], atoms[i])) { continue; }
        if (width(text(start, i)) > room) { break; }
        end = i;
      }
      if (end < 0) {  /* one word wider than the room: break inside it rather than cut it */
        end = start + 1;
        while (end < atoms.length - 1 && width(text(start, end + 1)) <= room) { end++; }
      }
      lines.push(text(start, end));
      start = end;
      while (start < atoms.length && !atoms[start].trim()) { start++; }
    }
    return lines;
  }

  /* The title and subtitle end above the plot, and above a legend over the plot: a legend reaching into them (a
     long subtitle, a wrapped title) or a plot under a wrapped title pushes the plot down by the overlap. Only a
     chart with such a legend or with wrapped texts is looked at. */
  function clearTop(div, wrapped) {
    var full = div._fullLayout;
    var legend = div.querySelector(".legend");
    var texts = div.querySelectorAll(".g-gtitle .gtitle, .gtitle-subtitle");
    if (!full || !texts.length || !(legend || wrapped)) { return; }
    var bottom = Math.max.apply(null, Array.prototype.map.call(texts, function (t) {
      return t.getBoundingClientRect().bottom;
    }));
    var plotTop = svgTop(div) + full._size.t;
    var overlap = 0;
    if (legend && legend.getBoundingClientRect().top < plotTop) {
      overlap = Math.ceil(bottom - legend.getBoundingClientRect().top) + 4;
      if (overlap <= 4) { overlap = 0; }
    } else if (wrapped) {
      overlap = Math.max(0, Math.ceil(bottom + PLOT_GAP - plotTop));
    }
    if (overlap > 0) {
      relayoutHeight(div, { "margin.t": full.margin.t + overlap }, full.height + overlap);
    }
  }

  /* A wrapped foot line grows downwards: the figure grows with it (the plot keeps its height) so that its last
     line stays inside the chart. */
  function clearBottom(div) {
    var full = div._fullLayout;
    var feet = div.querySelectorAll(".annotation");
    if (!full || !feet.length) { return; }
    var svgBottom = div.querySelector("svg.main-svg").getBoundingClientRect().top + full.height;
    var bottom = Math.max.apply(null, Array.prototype.map.call(feet, function (a) {
      return a.getBoundingClientRect().bottom;
    }));
    if (bottom > svgBottom) {
      var need = Math.ceil(bottom - svgBottom) + 4;
      relayoutHeight(div, { "margin.b": full.margin.b + need }, full.height + need);
    }
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
      if (c.drawn && c.width) { window.Plotly.relayout(c.div, { autosize: true }); c.width = null; }
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
