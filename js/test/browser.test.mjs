// The browser example in Debian's headless Chromium, driven by Playwright (playwright-core, no
// downloaded browser): fill the PHQ-9 from the keyboard, check what the page shows, open case
// files, and check that no request leaves 127.0.0.1.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { chromium } from "playwright-core";

import { BROWSER, manifest, ROOT } from "../lib/ipt-pyodide.mjs";
import { serve } from "../lib/serve.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PYTHON = process.env.IPT_PYTHON ?? path.join(ROOT, ".venv", "bin", "python");
// The flags this machine's closed network needs (no background connections to Google's hosts).
const FLAGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
];

let site;
let browser;
let page;
const outside = [];

before(async () => {
  manifest(); // fails with the command to run when js/prepare.py has not been run
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM`);
  site = await serve(0);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const context = await browser.newContext();
  // Every request the page makes is seen here; anything not for the local server is refused and
  // recorded, and the last test fails if there is any.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${site.origin}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.on("pageerror", (error) => outside.push(`page error: ${error.message}`));
  const began = Date.now();
  await page.goto(`${site.origin}/index.html`);
  await page.waitForSelector("body[data-ready]", { timeout: 120_000 });
  console.log(`# page ready in ${((Date.now() - began) / 1000).toFixed(2)} s (cold start, headless Chromium)`);
});

after(async () => {
  await browser?.close();
  site?.server.close();
});

async function result(selector) {
  return (await page.locator(selector).innerText()).replace(/\s+/g, " ");
}

describe("the browser example", () => {
  test("every control has a label, every questionnaire and item a legend", async () => {
    const unlabelled = await page.$$eval("input", (inputs) => inputs.filter((i) => i.labels.length === 0).map((i) => i.id));
    assert.deepEqual(unlabelled, []);
    const legends = await page.$$eval("fieldset", (sets) => sets.map((s) => s.querySelector(":scope > legend")?.textContent ?? ""));
    assert.equal(legends.length, 2 + 9 + 7); // a questionnaire fieldset each, and one per item
    assert.ok(legends.every((text) => text.trim().length > 0));
    for (const region of ["#phq9-result", "#gad7-result", "#case-result", "#status"]) {
      assert.equal(await page.getAttribute(region, "aria-live"), "polite", region);
    }
  });

  test("a PHQ-9 filled from the keyboard shows its total, band and the item-9 crisis message", async () => {
    const answers = [1, 2, 0, 3, 1, 0, 2, 1, 1]; // total 11: moderate (10-14); item 9 answered 1
    await page.focus("#phq9_1-0");
    for (const value of answers) {
      await page.keyboard.press("Space"); // choose 0 ...
      for (let i = 0; i < value; i += 1) await page.keyboard.press("ArrowRight"); // ... then move up
      await page.keyboard.press("Tab"); // to the next item's radio group, then to the button
    }
    const chosen = await page.$$eval("#phq9-form input:checked", (inputs) => inputs.map((i) => Number(i.value)));
    assert.deepEqual(chosen, answers);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#phq9-result .total");
    assert.equal(await result("#phq9-result .total"), "Total: 11 of 27");
    assert.equal(await result("#phq9-result .band"), "Band: moderate");
    const crisis = page.locator("#phq9-result .crisis[role=alert]");
    assert.equal(await crisis.count(), 1);
    assert.match(await crisis.innerText(), /Please talk to someone today/);
  });

  test("changing item 9 to 0 takes the crisis message away", async () => {
    await page.check("#phq9_9-0");
    await page.click("#phq9-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#phq9-result .total")?.textContent === "Total: 10 of 27");
    assert.equal(await page.locator("#phq9-result .crisis").count(), 0);
    assert.equal(await result("#phq9-result .band"), "Band: moderate");
  });

  test("a GAD-7 with an item left out is not scored and says which", async () => {
    for (const [n, value] of [[1, 3], [2, 3], [3, 3], [4, 1], [5, 0], [6, 0]]) await page.check(`#gad7_${n}-${value}`);
    await page.click("#gad7-form button[type=submit]");
    await page.waitForSelector("#gad7-result .total");
    assert.match(await result("#gad7-result .total"), /Not scored.*unanswered: 7/);
    await page.check("#gad7_7-0");
    await page.click("#gad7-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#gad7-result .total")?.textContent === "Total: 10 of 21");
    assert.equal(await result("#gad7-result .band"), "Band: moderate");
  });

  test("a valid case file shows the next-session agenda for the date given", async () => {
    const fixture = path.join(ROOT, "tests", "fixtures", "v1", "sample.json");
    const expected = execFileSync(PYTHON, ["-c", [
      "import sys, datetime, ipt_core",
      "case = ipt_core.loads(open(sys.argv[1], 'rb').read())",
      "agenda = ipt_core.next_steps(case, today=datetime.date(2025, 2, 10))",
      "print(agenda.headline); print(len(agenda.items))",
    ].join("\n"), fixture], { encoding: "utf8" }).trim().split("\n");
    await page.fill("#today", "2025-02-10");
    await page.setInputFiles("#case-file", fixture);
    await page.waitForSelector("#case-result .agenda li");
    assert.equal(await result("#case-result .headline"), expected[0]);
    assert.equal(await page.locator("#case-result .agenda li").count(), Number(expected[1]));
  });

  test("an invalid case file shows paths and codes, announced, and none of its values", async () => {
    const secret = "Nicola-diagnosis-SECRET";
    const file = path.join(tmpdir(), `ipt-invalid-${process.pid}.json`);
    const { writeFileSync, rmSync } = await import("node:fs");
    writeFileSync(file, JSON.stringify({ kind: "case", schema_version: 1, id: 7, contract: secret, notes: secret }));
    try {
      await page.setInputFiles("#case-file", file);
      await page.waitForSelector("#case-result .problem");
    } finally {
      rmSync(file);
    }
    const shown = await result("#case-result");
    assert.match(shown, /not a valid case document: 2 problem/);
    assert.match(shown, /\$\.id: wrong type/);
    assert.match(shown, /\$\.contract: wrong type/);
    assert.ok(!shown.includes("SECRET"));
    assert.equal(await page.locator("#case-result [role=alert]").count(), 1);
  });

  test("a file nested thousands of levels deep is refused, and the engine still scores afterwards", async () => {
    const file = path.join(tmpdir(), `ipt-deep-${process.pid}.json`);
    const { writeFileSync, rmSync } = await import("node:fs");
    writeFileSync(file, `{"kind": "case", "notes": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`);
    try {
      await page.setInputFiles("#case-file", file);
      await page.waitForSelector("#case-result .problem");
    } finally {
      rmSync(file);
    }
    assert.match(await result("#case-result"), /\$: too deep/);
    await page.check("#phq9_9-2");
    await page.click("#phq9-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#phq9-result .total")?.textContent === "Total: 12 of 27");
    assert.equal(await page.locator("#phq9-result .crisis").count(), 1);
  });

  test("nothing was requested from anywhere but the local server", () => {
    assert.deepEqual(outside, []);
    // and the local server served the page's own files, Pyodide and the wheels
    for (const wanted of ["/index.html", "/app.js", "/vendor/pyodide/pyodide.asm.wasm", "/vendor/wheels.json", "/ipt_bridge.py"]) {
      assert.ok(site.requested.includes(wanted), wanted);
    }
  });
});

describe("the example's files", () => {
  test("name no address outside the page's own origin", () => {
    for (const name of ["index.html", "app.js", "style.css", "ipt_bridge.py"]) {
      const text = readFileSync(path.join(BROWSER, name), "utf8");
      assert.doesNotMatch(text, /\b(https?|wss?|ftp):\/\//i, name);
      assert.doesNotMatch(text, /(src|href|action)\s*=\s*["']\/\//i, name);
      assert.doesNotMatch(text, /url\(\s*["']?(https?:)?\/\//i, name);
    }
  });
});
