// One TypeScript declaration per JSON Schema definition, from json-schema-to-typescript's output
// (used by types/generate.mjs).
// json-schema-to-typescript declares a definition twice when a schema names it both directly and
// inside an anyOf (a nullable field): `Frequency` and `Frequency1`, the same type. Keep the first and
// point every use of the copy at it. A numbered declaration whose body differs stays as it is, and
// so does every name in `defined` (the schema's own definitions: `Level2` is no copy of `Level`).
export function deduplicated(text, defined) {
  const lines = text.split("\n");
  const chunks = [];
  let current = [];
  for (const line of lines) {
    const starts = line.startsWith("/**") || (line.startsWith("export ") && !current.at(-1)?.startsWith(" */") && !current.at(-1)?.startsWith("/**"));
    if (starts && current.length) {
      chunks.push(current);
      current = [];
    }
    current.push(line);
  }
  if (current.length) chunks.push(current);
  const declared = /^export (?:type|interface) (\w+)/;
  const body = (chunk) => {
    const at = chunk.findIndex((line) => declared.test(line));
    return at < 0 ? null : chunk.slice(at).join("\n").replace(declared, "export $NAME").trimEnd();
  };
  const nameOf = (chunk) => chunk.map((line) => line.match(declared)?.[1]).find(Boolean);
  const bodies = new Map();
  for (const chunk of chunks) {
    const name = nameOf(chunk);
    if (name) bodies.set(name, body(chunk));
  }
  const copies = new Map();
  for (const [name, text] of bodies) {
    if (defined.has(name)) continue;
    // the definition it copies: the longest whose name and digits make its name (`Phq9` for `Phq91`)
    const original = [...defined]
      .filter((other) => name.startsWith(other) && /^\d+$/.test(name.slice(other.length)))
      .sort((a, b) => b.length - a.length)
      .find((other) => bodies.get(other) === text);
    if (original) copies.set(name, original);
  }
  let out = chunks.filter((chunk) => !copies.has(nameOf(chunk))).map((chunk) => chunk.join("\n")).join("\n");
  for (const [copy, original] of copies) out = out.replace(new RegExp(`\\b${copy}\\b`, "g"), original);
  return out;
}
