// The generator's step that removes json-schema-to-typescript's numbered copies of a definition
// (`Frequency1` beside `Frequency`): a copy goes, a definition of the schema stays, whatever its name.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { compile } from "json-schema-to-typescript";

import { deduplicated } from "../types/deduplicate.mjs";

const scale = { type: "object", additionalProperties: false, properties: { total: { type: "integer" } } };

// A document naming `Phq9` directly (with a default, which makes the generator copy it) and in a
// nullable field; `Level` and `Level2` are two definitions of the schema that happen to agree.
const schema = {
  title: "Doc",
  type: "object",
  additionalProperties: false,
  required: ["first", "level", "level2"],
  properties: {
    first: { $ref: "#/$defs/Phq9", default: { total: 0 } },
    later: { anyOf: [{ $ref: "#/$defs/Phq9" }, { type: "null" }], default: null },
    level: { $ref: "#/$defs/Level" },
    level2: { $ref: "#/$defs/Level2" },
    frequency: { $ref: "#/$defs/Frequency", default: "weekly" },
    other: { anyOf: [{ $ref: "#/$defs/Frequency" }, { type: "null" }], default: null },
  },
  $defs: {
    Phq9: { title: "Phq9", ...scale },
    Level: { title: "Level", type: "string", enum: ["low", "high"] },
    Level2: { title: "Level2", type: "string", enum: ["low", "high"] },
    Frequency: { title: "Frequency", type: "string", enum: ["weekly", "fortnightly"] },
  },
};

const declared = (text) => [...text.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]).sort();

describe("deduplicated", () => {
  test("keeps one declaration per definition, digits in its name or not", async () => {
    const compiled = await compile(schema, "Doc", { bannerComment: "", additionalProperties: false, unreachableDefinitions: true, format: true });
    const text = deduplicated(compiled, new Set(["Doc", ...Object.keys(schema.$defs)]));
    assert.deepEqual(declared(text), ["Doc", "Frequency", "Level", "Level2", "Phq9"]);
    assert.match(text, /level2: Level2;/);
    assert.match(text, /first: Phq9;/);
    assert.match(text, /later\?: Phq9 \| null;/);
    assert.match(text, /other\?: Frequency \| null;/);
  });

  test("a numbered declaration whose body differs is not a copy", () => {
    const text = [
      "export type Level = \"low\" | \"high\";",
      "export type Level1 = \"low\" | \"moderate\" | \"high\";",
      "export interface Doc {",
      "  a: Level;",
      "  b: Level1;",
      "}",
    ].join("\n");
    assert.equal(deduplicated(text, new Set(["Doc", "Level"])), text);
  });
});
