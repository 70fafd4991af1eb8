// Load ipt_core into Pyodide under Node: the interpreter from node_modules/pyodide, the wheels that
// js/prepare.py put in examples/browser/vendor/ (the same files the browser example serves), and the
// example's Python bridge. No network: Pyodide's package CDN is never asked for anything.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

export const ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const BROWSER = path.join(ROOT, "examples", "browser");
export const VENDOR = path.join(BROWSER, "vendor");

export function manifest() {
  const file = path.join(VENDOR, "wheels.json");
  if (!existsSync(file)) {
    throw new Error("examples/browser/vendor is missing: run `make test-js` (or `python js/prepare.py`)");
  }
  return JSON.parse(readFileSync(file, "utf8"));
}

export async function loadIptCore() {
  const wheels = manifest().wheels;
  const pyodide = await loadPyodide();
  for (const name of wheels) {
    pyodide.unpackArchive(new Uint8Array(readFileSync(path.join(VENDOR, "wheels", name))), "wheel");
  }
  pyodide.FS.writeFile("/home/pyodide/ipt_bridge.py", readFileSync(path.join(BROWSER, "ipt_bridge.py"), "utf8"));
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
  return { pyodide, bridge: pyodide.pyimport("ipt_bridge") };
}

// Copy a directory of the working tree into Pyodide's file system (for fixtures and the
// conformance suite), keeping its relative layout under `target`.
export function copyTree(pyodide, source, target, { skip = () => false } = {}) {
  pyodide.FS.mkdirTree(target);
  for (const name of readdirSync(source)) {
    const from = path.join(source, name);
    if (skip(name)) continue;
    if (statSync(from).isDirectory()) copyTree(pyodide, from, `${target}/${name}`, { skip });
    else pyodide.FS.writeFile(`${target}/${name}`, new Uint8Array(readFileSync(from)));
  }
}
