// A front end written in TypeScript builds an ipt_core case document with the generated types:
// the compiler refuses a missing required field, a misspelt enum value or a field the schema does
// not have. `tsc --noEmit` checks this file in CI, and the Node tests run it and load what it
// builds with ipt_core (under Pyodide), which must accept it.
import type { Case, InstrumentAnswers, Person, SessionRecord } from "../types/case.v1.js";

function phq9(answers: number[]): InstrumentAnswers {
  return { instrument: "phq9", answers };
}

export function buildCase(): Case {
  const partner: Person = {
    id: "p1",
    alias: "M.",
    category: "partner",
    ring: 1,
    in_conflict: true,
    contact_frequency: "daily",
  };
  const sessions: SessionRecord[] = [
    { number: 1, date: "2025-01-06", attendance: "attended", measures: [phq9([2, 2, 1, 2, 1, 1, 1, 0, 0])] },
    { number: 2, date: "2025-01-13", attendance: "attended", measures: [phq9([2, 1, 1, 2, 1, 1, 1, 0, 0])] },
  ];
  return {
    kind: "case",
    schema_version: 1,
    id: "ts-example",
    client_alias: "N.",
    contract: { protocol_id: "standard", start: "2025-01-06", planned_sessions: 16, frequency: "weekly" },
    inventory: { people: [partner] },
    sessions,
  };
}

export const document: string = JSON.stringify(buildCase());
