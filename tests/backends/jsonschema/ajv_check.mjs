// What docs/guide/vendors.md shows a vendor (plus reading the files named on the command line): a record schema
// compiled by ajv in its default options (strict mode), records checked against it.  test_validators.py runs it.
//
// argv[2]: the folder ajv is installed in (npm --prefix); argv[3]: the schema; argv[4...]: records.
// stdout: per record {ok, rules}, the titles of the allOf entries (the rules) its errors are in.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [folder, schemaFile, ...recordFiles] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(folder), "package.json"));
const Ajv2020 = require("ajv/dist/2020");
const ajv = new Ajv2020(); // default options: strict mode
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
const validate = ajv.compile(schema);
// the rule of an error: the title of the allOf entry its schemaPath starts in
const rule = (e) => (/^#\/allOf\/(\d+)\//.exec(e.schemaPath) || [])[1];
const out = recordFiles.map((f) => {
  const ok = validate(JSON.parse(fs.readFileSync(f, "utf8")));
  const rules = ok ? [] : validate.errors.map(rule).filter((i) => i !== undefined).map((i) => schema.allOf[i].title);
  return { ok, rules: [...new Set(rules)] };
});
console.log(JSON.stringify(out));
