// Builds src/helpers/templates/briefing/vendor/plotly-briefing.min.js.gz: plotly.js's core (scatter, axes,
// legend, annotations, shapes …) plus the trace types listed in plotly-briefing.json, nothing else.
// Why: evaluating plotly.js is the largest cost of a briefing's first screen, and it grows with the number of
// trace modules registered — the official cartesian bundle (twelve traces) takes three to four times as long to
// evaluate as core + bar + heatmap (bench/results/render.json). One manifest lists the traces for this script and
// for helpers.render.export, which embeds the bundle only when every figure of a page uses those traces.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, '..', '..', 'src', 'helpers', 'templates', 'briefing', 'vendor');
const manifest = JSON.parse(readFileSync(join(vendor, 'plotly-briefing.json'), 'utf8'));
const require = createRequire(import.meta.url);
const installed = require('plotly.js/package.json').version;
if (installed !== manifest['plotly.js']) {
  throw new Error(`plotly.js ${installed} is installed but plotly-briefing.json asks for ${manifest['plotly.js']}: ` +
    'set the version in package.json and run `npm install` first');
}
const traces = manifest.traces.filter((t) => t !== 'scatter'); // scatter is part of plotly.js's core
const entry = [
  "'use strict';",
  "var Plotly = require('plotly.js/lib/core');",
  `Plotly.register([${traces.map((t) => `require('plotly.js/lib/${t}')`).join(', ')}]);`,
  'module.exports = Plotly;',
].join('\n');
const banner = `/**\n* plotly.js (briefing: ${manifest.traces.join(', ')} - minified) v${installed}\n` +
  '* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/';
const out = await build({
  stdin: { contents: entry, resolveDir: here, sourcefile: 'plotly-briefing-entry.js' },
  bundle: true, write: false, minify: true, format: 'iife', globalName: 'Plotly', target: 'es2016',
  define: { global: 'window', 'define.amd': 'false' },
  loader: { '.css': 'empty' }, // only map traces import a stylesheet, and they are not in this bundle
  legalComments: 'none', banner: { js: banner }, logLevel: 'warning',
});
const code = out.outputFiles[0].contents;
const target = join(vendor, manifest.file);
writeFileSync(target, gzipSync(code, { level: 9 })); // zlib writes no file name and mtime 0: reproducible
console.log(`${target}: ${code.length} bytes of JavaScript (${manifest.traces.join(', ')}, plotly.js ${installed})`);
