// The runtime's compact store of raw findings (Findings) grows past its first columns and gives back what it
// was given; the report built and written from it is byte for byte the one written from the plain list.
// (test_js_findings.py draws the findings with Hypothesis; this is the one large deterministic case.)
// Run by tests/test_node.py (node --test, the runtime assembled by the pytest run).
import assert from "node:assert/strict";
import { test } from "node:test";

import { runtime } from "./under_test.mjs";

const rt = await runtime();
const RULES = { "LSS-S05": ["error", "tom"], "LSS-S01": ["error", "fält"], "LSS-R09": ["warning", "två filer"] };
const PATHS = ["a.txt", "b/0114.txt", "c.txt"];

test("more findings than the store's first columns hold, out of order: all back, the report the same", () => {
  const findings = [];
  for (let i = 0; i < 5000; i++) {
    const rule = i % 3 ? "LSS-R09" : "LSS-S01";
    findings.push([rule, (i * 7) % PATHS.length, 5000 - i, ["personnummer", "kommun"].slice(0, i % 3), String(i).padStart(12, "0")]);
  }
  const store = new rt.Findings(Infinity); // every finding kept: the bound is test_capped_findings.py's
  for (const f of findings) store.push(f);
  assert.equal(store.length, findings.length);
  assert.deepEqual(Array.from(store), findings);
  const json = (items) => rt.reportJson(rt.buildReport(2023, PATHS, PATHS.map(() => 1), items, RULES, [], false));
  assert.equal(json(store), json(findings));
});
