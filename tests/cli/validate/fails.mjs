// The JavaScript runtime's command line (run_main) meeting a failure of resources in the middle of a run, for
// test_resources.py (which checks that node says it in one Swedish line, exit code 2, no stack trace).
//
// argv[2]: the assembled runtime (tests/conftest.py's runtime_mjs); argv[3]: the failure (memory, depth, files,
// ENOMEM); argv[4]: the file to validate.
import { pathToFileURL } from "node:url";

const rt = await import(pathToFileURL(process.argv[2]).href);
const [what, file] = process.argv.slice(3);
const errors = {
  memory: () => new RangeError("Invalid string length"),
  depth: () => new RangeError("Maximum call stack size exceeded"),
  files: () => Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" }),
  ENOMEM: () => Object.assign(new Error("ENOMEM: not enough memory"), { code: "ENOMEM" }),
};
const report = () => {
  throw errors[what]();
};
process.exitCode = rt.run_main([file], 2023, "lss-validate-2023", report, {}, []);
