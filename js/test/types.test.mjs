// The TypeScript types: generated from the shipped JSON Schemas, in step with them, strict enough to
// refuse a wrong document, and the document the example program builds is one ipt_core accepts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, describe, test } from "node:test";

import { loadIptCore, ROOT } from "../lib/ipt-pyodide.mjs";

const JS = path.join(ROOT, "js");
const TSC = path.join(JS, "node_modules", "typescript", "bin", "tsc");
const scratch = mkdtempSync(path.join(tmpdir(), "ipt-types-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function run(args, options = {}) {
  const done = spawnSync(process.execPath, args, { cwd: JS, encoding: "utf8", ...options });
  return { status: done.status, output: `${done.stdout}${done.stderr}` };
}

describe("TypeScript types", () => {
  test("the shipped .d.ts files are what the shipped JSON Schemas generate", () => {
    const { status, output } = run(["types/generate.mjs", "--check"]);
    assert.equal(status, 0, output);
  });

  test("the example program type-checks (tsc --noEmit, strict)", () => {
    const { status, output } = run([TSC, "-p", "tsconfig.json", "--noEmit"]);
    assert.equal(status, 0, output);
  });

  test("a document with a misspelt category or a missing contract does not type-check", () => {
    const types = path.join(JS, "types", "case.v1.js").replaceAll("\\", "/");
    const wrong = path.join(scratch, "wrong.ts");
    writeFileSync(wrong, [
      `import type { Case } from "${types}";`,
      `export const a: Case = { kind: "case", schema_version: 1, id: "x",`,
      `  contract: { protocol_id: "standard", start: "2025-01-06", planned_sessions: 16 },`,
      `  inventory: { people: [{ id: "p1", alias: "M.", category: "partnr" }] } };`,
      `export const b: Case = { kind: "case", schema_version: 1, id: "y" };`,
    ].join("\n"));
    const { status, output } = run([TSC, "--noEmit", "--strict", "--module", "NodeNext", "--moduleResolution", "NodeNext", wrong]);
    assert.notEqual(status, 0);
    assert.match(output, /"partnr"/);
    assert.match(output, /Property 'contract' is missing/);
  });

  test("a protocol without its phases or areas does not type-check, as loads refuses it", () => {
    const types = path.join(JS, "types", "protocol.v1.js").replaceAll("\\", "/");
    const wrong = path.join(scratch, "protocol.ts");
    const head = `kind: "protocol", schema_version: 1, id: "p", name: "P", sessions: { min_sessions: 8, max_sessions: 12, default_sessions: 12 }`;
    const initial = `{ phase: "initial", min_sessions: 1 }`;
    const termination = `{ phase: "termination", min_sessions: 1 }`;
    const area = `{ kind: "role_dispute", label: "Role dispute", lay_label: "Disagreements", focus: true }`;
    writeFileSync(wrong, [
      `import type { Protocol } from "${types}";`,
      `export const good: Protocol = { ${head}, phases: [${initial}, ${termination}], areas: [${area}] };`,
      `export const noPhases: Protocol = { ${head}, phases: [], areas: [${area}] };`,
      `export const onePhase: Protocol = { ${head}, phases: [${initial}], areas: [${area}] };`,
      `export const noAreas: Protocol = { ${head}, phases: [${initial}, ${termination}], areas: [] };`,
      `export const absent: Protocol = { ${head} };`,
    ].join("\n"));
    const { status, output } = run([TSC, "--noEmit", "--strict", "--module", "NodeNext", "--moduleResolution", "NodeNext", wrong]);
    assert.notEqual(status, 0);
    const lines = output.split("\n").filter((line) => line.includes("protocol.ts("));
    const failing = new Set(lines.map((line) => Number(line.match(/protocol\.ts\((\d+),/)[1])));
    assert.deepEqual([...failing].sort(), [3, 4, 5, 6], output);
  });

  test("the case the program builds is one ipt_core loads and plans a next session for", async () => {
    const outDir = path.join(scratch, "build");
    const { status, output } = run([TSC, "-p", "tsconfig.json", "--outDir", outDir]);
    assert.equal(status, 0, output);
    writeFileSync(path.join(outDir, "package.json"), '{"type": "module"}');
    const built = path.join(outDir, existsSync(path.join(outDir, "typed")) ? "typed" : "", "build-case.js");
    const { document } = await import(pathToFileURL(built).href);
    const { bridge } = await loadIptCore();
    const answer = JSON.parse(bridge.open_case(new TextEncoder().encode(document), "2025-01-20"));
    assert.equal(answer.ok, true, JSON.stringify(answer.problems));
    assert.equal(answer.headline.split(",")[0], "session 3 of 16");
  });
});
