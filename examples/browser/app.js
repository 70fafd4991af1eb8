// The browser example: Pyodide and the ipt_core wheel from this page's own origin, nothing else.
// js/prepare.py puts them in vendor/; ipt_bridge.py is the Python side (JSON text in and out).
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";

// The response options shared by the PHQ-9 (Kroenke, Spitzer & Williams 2001) and the GAD-7
// (Spitzer et al. 2006): each item is answered 0-3.
const RESPONSES = ["Not at all", "Several days", "More than half the days", "Nearly every day"];
const MAX_CASE_BYTES = 8 * 1024 * 1024;

const status = document.getElementById("status");
let bridge = null;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function words(id) {
  return id ? id.replaceAll("_", " ") : "none";
}

function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Problems show the library's path, code and message: none of them quotes the document.
function problemList(problems) {
  const list = element("ul");
  for (const p of problems) {
    list.append(element("li", { class: "problem" }, `${p.path}: ${words(p.code)}${p.message ? ` (${p.message})` : ""}`));
  }
  return list;
}

function questionnaire(instrument) {
  const form = element("form", { id: `${instrument.id}-form`, novalidate: "" });
  const outer = element("fieldset", {}, element("legend", {}, instrument.name));
  for (const item of instrument.items) {
    const group = element("fieldset", { class: "item" });
    group.append(element("legend", { id: `${item.id}-legend` }, `${item.number}. ${item.topic}`));
    const options = element("div", { class: "options" });
    for (let value = item.minimum; value <= item.maximum; value += 1) {
      const id = `${item.id}-${value}`;
      const input = element("input", { type: "radio", id, name: item.id, value: String(value) });
      options.append(element("span", {}, input, " ", element("label", { for: id }, `${value} ${RESPONSES[value] ?? ""}`)));
    }
    group.append(options);
    outer.append(group);
  }
  outer.append(element("button", { type: "submit" }, `Score the ${instrument.id === "phq9" ? "PHQ-9" : "GAD-7"}`));
  outer.append(element("p", { class: "attribution" }, `${instrument.attribution} Scoring: ${instrument.source}. Bands: ${instrument.bands_source}.`));
  form.append(outer);
  const result = element("div", { id: `${instrument.id}-result`, class: "result", "aria-live": "polite" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const answers = instrument.items.map((item) => {
      const chosen = form.querySelector(`input[name="${item.id}"]:checked`);
      return chosen ? Number(chosen.value) : null;
    });
    showScore(instrument, JSON.parse(bridge.score_answers(instrument.id, JSON.stringify(answers))), result);
  });
  return [form, result];
}

function showScore(instrument, score, result) {
  result.replaceChildren();
  if (!score.ok) {
    result.append(element("p", { role: "alert" }, "These answers could not be scored:"), problemList(score.problems));
    return;
  }
  if (score.total === null) {
    const numbers = score.missing.map((id) => id.split("_").pop()).join(", ");
    result.append(element("p", { class: "total" }, `Not scored: answer every item first (unanswered: ${numbers}).`));
  } else {
    result.append(
      element("p", { class: "total" }, `Total: ${score.total} of ${score.range[1]}`),
      element("p", { class: "band" }, `Band: ${words(score.band)}`),
    );
  }
  for (const flag of score.risk_flags) {
    if (flag.code === "phq9_item9") {
      result.append(element("div", { class: "crisis", role: "alert" },
        element("strong", {}, "Please talk to someone today. "),
        "Your answer to item 9 means thoughts of being better off dead or of hurting yourself. " +
        "If you might act on them, call your local emergency number now (999 in the UK, 911 in the US, " +
        "112 in the EU) or go to an emergency department. Otherwise contact your doctor or therapist today."));
    } else {
      result.append(element("p", { class: "flag", role: "alert" }, `Risk flag: ${flag.source} (${words(flag.code)}, ${flag.level}).`));
    }
  }
}

async function openCase(file, today, result) {
  result.replaceChildren(element("p", {}, "Checking the file…"));
  if (file.size > MAX_CASE_BYTES) {
    result.replaceChildren(element("p", { role: "alert" }, `This file is larger than ${MAX_CASE_BYTES / 1024 / 1024} MB; a case document is far smaller.`));
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let answer;
  try {
    answer = JSON.parse(bridge.open_case(bytes, today));
  } catch (error) {
    // Not shown: an unexpected error's text could hold part of the document.
    console.error("open_case failed", error.name);
    result.replaceChildren(element("p", { role: "alert" }, "This file could not be checked."));
    return;
  }
  result.replaceChildren();
  if (!answer.ok) {
    result.append(element("p", { role: "alert" }, `This is not a valid case document: ${answer.problems.length} problem(s).`), problemList(answer.problems));
    return;
  }
  result.append(element("h3", {}, "Next session"), element("p", { class: "headline" }, answer.headline));
  const list = element("ol", { class: "agenda" });
  for (const item of answer.items) {
    list.append(element("li", { "data-code": item.code }, item.text + (item.blocking ? " (needed before the next phase)" : "")));
  }
  result.append(list);
  if (answer.open_risk_flags.length) {
    result.append(element("p", { class: "flag", role: "alert" }, `Open risk flags no risk check has reviewed: ${answer.open_risk_flags.map((f) => f.source).join("; ")}.`));
  }
}

async function start() {
  const began = performance.now();
  const pyodide = await loadPyodide({ indexURL: new URL("./vendor/pyodide/", import.meta.url).href });
  const manifest = await (await fetch("vendor/wheels.json")).json();
  for (const name of manifest.wheels) {
    const wheel = await (await fetch(`vendor/wheels/${name}`)).arrayBuffer();
    pyodide.unpackArchive(wheel, "wheel");
  }
  pyodide.FS.writeFile("/home/pyodide/ipt_bridge.py", await (await fetch("ipt_bridge.py")).text());
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide')");
  bridge = pyodide.pyimport("ipt_bridge");
  const container = document.getElementById("questionnaires");
  for (const instrument of JSON.parse(bridge.instruments())) container.append(...questionnaire(instrument));

  const today = document.getElementById("today");
  today.value = localToday();
  const caseFile = document.getElementById("case-file");
  const caseResult = document.getElementById("case-result");
  const reopen = () => caseFile.files.length && openCase(caseFile.files[0], today.value || localToday(), caseResult);
  caseFile.addEventListener("change", reopen);
  today.addEventListener("change", reopen);
  caseFile.disabled = false;
  const seconds = (performance.now() - began) / 1000;
  document.body.dataset.ready = String(seconds);
  status.textContent = `Ready: the scoring engine runs in this page (loaded in ${seconds.toFixed(1)} s).`;
}

start().catch((error) => {
  status.setAttribute("role", "alert");
  status.textContent = "The scoring engine could not start in this browser.";
  document.body.dataset.failed = "true";
  console.error(error);
});
