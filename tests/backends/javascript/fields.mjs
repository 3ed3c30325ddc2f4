// Read lines' fields where they lie, in node, for test_js_fields.py (which draws the lines and compares every
// field with Python's ``line.split(";")``).
//
// argv[2]: the assembled runtime (tests/conftest.py's runtime_mjs; its private py_fields, py_digits_at,
// py_int_at, py_key_at, FIELD_AT, FIELD_ONE, CODES and BASE exported here); argv[3]: what to do, with stdin (JSON):
// - "fields" {lines, bytes (base64), codes, max}: per line its field count and, per field, what each reader gives,
//   for the lines given as strings (``direct``) and as read from the bytes by iter_lines (``fromBytes``);
// - "tests" {lines, tests, max}: per line, per field k < max, the printer's field tests ``tests[k]`` (JavaScript
//   expressions the printer wrote, over ``line``, ``$codes``, ``$at``, ``$one`` and ``BASE``) evaluated on the line.
import { importWith, stdinJson } from "./under_test.mjs";

const PRIVATE = ["py_fields", "py_digits_at", "py_int_at", "py_key_at", "FIELD_AT", "FIELD_ONE", "CODES", "BASE"];
const rt = await importWith(process.argv[2], PRIVATE);
const input = stdinJson();

function fields({ lines, bytes, codes, max }) {
  const set = new rt.DigitSet(codes, 2);
  const check = rt.personnummerChecker("20231001");
  const read = (line) => {
    const n = rt.py_fields(line, ";", max);
    const out = [];
    for (let k = 0; k < Math.min(n, max); k++) {
      const a = rt.FIELD_AT[2 * k], b = rt.FIELD_AT[2 * k + 1];
      let text = "";
      for (let i = a; i < b; i++) text += String.fromCharCode(rt.CODES[i]); // the char codes where it lies
      const digits = rt.py_digits_at(a, b);
      out.push({
        slice: line.slice(a - rt.BASE, b - rt.BASE),
        text,
        empty: a === b,
        one: rt.FIELD_ONE[k],
        digits,
        int: digits ? rt.py_int_at(line, a, b) : null,
        member: set.hasAt(a, b),
        key: rt.py_key_at(a, b),
        check: check.at(line, a, b) === check(line.slice(a - rt.BASE, b - rt.BASE)),
      });
    }
    return { n, fields: out };
  };
  const direct = lines.map(read);
  const fromBytes = [];
  for (const line of rt.iter_lines(rt.asSource(Uint8Array.from(Buffer.from(bytes, "base64")), "f"))) {
    fromBytes.push(read(line));
  }
  return { direct, fromBytes };
}

function tests({ lines, tests, max }) {
  const rows = tests.map((row) => `[${row.join(", ")}]`).join(", ");
  const evaluate = new Function("line", "$codes", "$at", "$one", "BASE", `return [${rows}];`);
  return lines.map((line) => {
    const n = rt.py_fields(line, ";", max);
    return evaluate(line, rt.CODES, rt.FIELD_AT, rt.FIELD_ONE, rt.BASE).slice(0, Math.min(n, max));
  });
}

const MODES = { fields, tests };
process.stdout.write(JSON.stringify(MODES[process.argv[3]](input)));
