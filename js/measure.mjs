// What running ipt_core in a JavaScript runtime costs: the download, the cold start in Node and in
// headless Chromium, and one PHQ-9 score once warm (with CPython on the same machine alongside, as
// the ratio is what carries over to another machine). Run after `make test-js`:
//   node js/measure.mjs [repeats]
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { chromium } from "playwright-core";

import { loadIptCore, manifest, ROOT, VENDOR } from "./lib/ipt-pyodide.mjs";
import { serve } from "./lib/serve.mjs";

const repeats = Number(process.argv[2] ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

function sizes(directory) {
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(directory)) {
    const file = path.join(directory, name);
    if (!statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

const core = sizes(path.join(VENDOR, "pyodide"));
const wheels = sizes(path.join(VENDOR, "wheels"));
console.log(`Pyodide ${manifest().pyodide} core files: ${mb(core.raw)} (${mb(core.gzip)} gzipped)`);
console.log(`wheels (${manifest().wheels.join(", ")}): ${mb(wheels.raw)}`);

// Cold start in Node: a fresh process each time, from nothing to a first PHQ-9 score.
const script = `
const began = performance.now();
const { loadIptCore } = await import(${JSON.stringify(new URL("./lib/ipt-pyodide.mjs", import.meta.url).href)});
const { bridge } = await loadIptCore();
bridge.score_answers("phq9", "[1,2,0,3,1,0,2,1,0]");
console.log(performance.now() - began);`;
const bare = `
const began = performance.now();
const { loadPyodide } = await import("pyodide");
await loadPyodide();
console.log(performance.now() - began);`;
const node = [];
const pyodideOnly = [];
const child = (code) => Number(execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", cwd: path.join(ROOT, "js") }));
for (let i = 0; i < repeats; i += 1) {
  pyodideOnly.push(child(bare)); // interleaved, so that both see the same load on a shared machine
  node.push(child(script));
}
console.log(`Pyodide alone in Node (loadPyodide): median ${(median(pyodideOnly) / 1000).toFixed(2)} s of ${repeats}`);
console.log(`cold start in Node (load Pyodide, install the wheels, import, first score): median ${(median(node) / 1000).toFixed(2)} s of ${repeats} (${node.map((t) => (t / 1000).toFixed(2)).join(", ")})`);

// Warm: one PHQ-9 score through the example's bridge (JSON in, JSON out), in Pyodide and in CPython.
const { bridge } = await loadIptCore();
const calls = 2000;
const pyodideTimes = [];
for (let r = 0; r < repeats; r += 1) {
  const began = performance.now();
  for (let i = 0; i < calls; i += 1) bridge.score_answers("phq9", "[1,2,0,3,1,0,2,1,0]");
  pyodideTimes.push(((performance.now() - began) * 1000) / calls);
}
const python = process.env.IPT_PYTHON ?? path.join(ROOT, ".venv", "bin", "python");
const cpython = execFileSync(python, ["-c", `
import sys, timeit
sys.path.insert(0, ${JSON.stringify(path.join(ROOT, "examples", "browser"))})
import ipt_bridge
times = timeit.repeat(lambda: ipt_bridge.score_answers("phq9", "[1,2,0,3,1,0,2,1,0]"), number=${calls}, repeat=${repeats})
print(sorted(t * 1e6 / ${calls} for t in times)[len(times) // 2])`], { encoding: "utf8" });
console.log(`one PHQ-9 score, warm: Pyodide in Node ${median(pyodideTimes).toFixed(1)} µs, CPython ${Number(cpython).toFixed(1)} µs (median of ${repeats} runs of ${calls})`);

// Cold start in headless Chromium: a new browser context each time (empty cache), from navigation
// to the page saying it is ready (Pyodide loaded, wheels installed, ipt_core imported, forms built).
const site = await serve(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = [];
for (let i = 0; i < repeats; i += 1) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const began = Date.now();
  await tab.goto(`${site.origin}/index.html`);
  await tab.waitForSelector("body[data-ready]", { timeout: 120_000 });
  page.push(Date.now() - began);
  await context.close();
}
await browser.close();
site.server.close();
console.log(`cold start in headless Chromium (navigation to ready, empty cache): median ${(median(page) / 1000).toFixed(2)} s of ${repeats} (${page.map((t) => (t / 1000).toFixed(2)).join(", ")})`);
