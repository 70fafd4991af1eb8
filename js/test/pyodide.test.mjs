// ipt_core under Pyodide in Node: the wheels the browser example serves, loaded with no network.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";

import { execFileSync } from "node:child_process";

import { copyTree, loadIptCore, ROOT } from "../lib/ipt-pyodide.mjs";

let pyodide;
let bridge;

before(async () => {
  ({ pyodide, bridge } = await loadIptCore());
});

const score = (instrument, answers) => JSON.parse(bridge.score_answers(instrument, JSON.stringify(answers)));

describe("the interpreter", () => {
  test("is a Python that meets ipt_core's requires-python (>=3.11)", () => {
    const [major, minor] = pyodide.runPython("import sys; list(sys.version_info[:2])").toJs();
    assert.ok(major === 3 && minor >= 11, `Python ${major}.${minor}`);
    assert.equal(pyodide.runPython("import sys; sys.platform"), "emscripten");
  });

  test("imports ipt_core without orjson or pydantic (neither exists for Pyodide here)", () => {
    const found = pyodide.runPython(`
import importlib.util, sys, ipt_core
[importlib.util.find_spec("orjson") is None, "pydantic" in sys.modules, ipt_core.__name__]`).toJs();
    assert.deepEqual(found, [true, false, "ipt_core"]);
  });

  test("gives the shipped JSON Schema of each root document without pydantic", () => {
    const ids = pyodide.runPython(`
import ipt_core
[ipt_core.json_schema(cls)["$id"] for cls in (None, ipt_core.Group, ipt_core.Protocol)]`).toJs();
    assert.deepEqual(ids, [
      "https://ipt-core.org/schemas/case.v1.json",
      "https://ipt-core.org/schemas/group.v1.json",
      "https://ipt-core.org/schemas/protocol.v1.json",
    ]);
  });
});

describe("scoring, against the published bands", () => {
  // PHQ-9 bands 5, 10, 15, 20 = mild, moderate, moderately severe, severe (Kroenke, Spitzer &
  // Williams 2001); GAD-7 bands 5, 10, 15 (Spitzer et al. 2006).
  const phq9 = [
    [[0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal"],
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"],
    [[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"],
    [[1, 2, 0, 3, 1, 0, 2, 1, 0], 10, "moderate"],
    [[2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate"],
    [[3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately_severe"],
    [[3, 3, 3, 3, 3, 2, 2, 2, 2], 23, "severe"],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"],
  ];
  for (const [answers, total, band] of phq9) {
    test(`PHQ-9 ${answers.join(" ")} is ${total}, ${band}`, () => {
      const result = score("phq9", answers);
      assert.equal(result.total, total);
      assert.equal(result.band, band);
      const flagged = result.risk_flags.map((f) => f.code);
      assert.deepEqual(flagged, answers[8] >= 1 ? ["phq9_item9"] : []);
    });
  }

  test("PHQ-9 item 9 answered 1 raises the item-9 flag whatever the total", () => {
    const result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(result.total, 1);
    assert.equal(result.band, "minimal");
    assert.deepEqual(result.risk_flags.map((f) => [f.code, f.item, f.source]), [["phq9_item9", "phq9_9", "PHQ-9 item 9"]]);
  });

  test("PHQ-9 with item 9 unanswered: no total, and a 'risk not assessed' flag", () => {
    const result = score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, null]);
    assert.equal(result.total, null);
    assert.deepEqual(result.missing, ["phq9_9"]);
    assert.deepEqual(result.risk_flags.map((f) => f.code), ["risk_not_assessed"]);
  });

  test("GAD-7 band edges", () => {
    assert.deepEqual([score("gad7", [1, 1, 1, 1, 0, 0, 0]).band, score("gad7", [1, 1, 1, 1, 1, 0, 0]).band], ["minimal", "mild"]);
    assert.deepEqual([score("gad7", [3, 3, 3, 1, 0, 0, 0]).total, score("gad7", [3, 3, 3, 1, 0, 0, 0]).band], [10, "moderate"]);
    assert.equal(score("gad7", [3, 3, 3, 3, 3, 0, 0]).band, "severe");
  });

  test("an answer out of range is refused with its path and code", () => {
    const result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 4]);
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems.map((p) => [p.path, p.code]), [["$.answers[8]", "out_of_range"]]);
  });
});

describe("documents", () => {
  const fixtures = path.join(ROOT, "tests", "fixtures", "v1");
  for (const name of readdirSync(fixtures).filter((n) => n.endsWith(".json")).sort()) {
    test(`golden fixture ${name} loads and dumps back byte for byte`, () => {
      const raw = new Uint8Array(readFileSync(path.join(fixtures, name)));
      pyodide.FS.writeFile("/tmp/fixture.json", raw);
      const dumped = pyodide.runPython(`
import ipt_core
ipt_core.dumps(ipt_core.loads(open("/tmp/fixture.json", "rb").read()))`).toJs();
      assert.equal(Buffer.compare(Buffer.from(dumped), Buffer.from(raw)), 0);
    });
  }

  test("a valid case gives its next-session agenda for the date passed in", () => {
    const raw = new Uint8Array(readFileSync(path.join(fixtures, "sample.json")));
    const answer = JSON.parse(bridge.open_case(raw, "2025-06-01"));
    assert.equal(answer.ok, true);
    assert.match(answer.headline, /contracted sessions|session \d+ of \d+|ended after/);
    assert.ok(answer.items.length > 0);
  });

  test("an invalid case reports paths and codes, never the values it holds", () => {
    const secret = "Nicola-diagnosis-SECRET";
    const document = { kind: "case", schema_version: 1, id: 7, contract: secret, notes: secret };
    const text = bridge.open_case(new TextEncoder().encode(JSON.stringify(document)), "2025-06-01");
    const answer = JSON.parse(text);
    assert.equal(answer.ok, false);
    assert.deepEqual(answer.problems.map((p) => [p.path, p.code]).sort(), [["$.contract", "wrong_type"], ["$.id", "wrong_type"]].sort());
    assert.ok(!text.includes("SECRET"));
  });

  test("broken JSON is refused with a path and a code", () => {
    const answer = JSON.parse(bridge.open_case(new TextEncoder().encode('{"kind": "case",'), "2025-06-01"));
    assert.equal(answer.ok, false);
    assert.equal(answer.problems[0].path, "$");
    assert.equal(answer.problems[0].code, "invalid_json");
  });
});

describe("the conformance suite", () => {
  const suite = path.join(ROOT, "conformance");
  const python = process.env.IPT_PYTHON ?? path.join(ROOT, ".venv", "bin", "python");
  // The runner as a plain file, imported by path: the same code on CPython and under Pyodide.
  const runner = (directory) => `
import importlib.util, json
spec = importlib.util.spec_from_file_location("ipt_conformance", ${JSON.stringify(`${directory}/run.py`)})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
summary = json.dumps(module.run(${JSON.stringify(directory)}), sort_keys=True)`;

  test("passes in full under Pyodide, with the same results case by case as on CPython", () => {
    assert.ok(existsSync(path.join(suite, "run.py")), "conformance/run.py is missing");
    copyTree(pyodide, suite, "/home/pyodide/conformance", { skip: (name) => name === "__pycache__" });
    pyodide.runPython(runner("/home/pyodide/conformance"));
    const inPyodide = JSON.parse(pyodide.globals.get("summary"));
    const failures = inPyodide.results.filter((r) => !r.passed).map((r) => `${r.file} ${r.id}: ${r.mismatches.join("; ")}`);
    assert.deepEqual(failures, []);
    assert.equal(inPyodide.failed, 0);
    assert.ok(inPyodide.files >= 4 && inPyodide.passed >= 100, `${inPyodide.files} files, ${inPyodide.passed} cases`);

    const onCPython = JSON.parse(execFileSync(python, ["-c", `${runner(suite)}\nprint(summary)`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }));
    assert.deepEqual(inPyodide, onCPython);
  });
});
