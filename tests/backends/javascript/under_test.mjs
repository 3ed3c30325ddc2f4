// The JavaScript runtime under test, for the .test.mjs files and for the drivers the Python tests start.
//
// The runtime is the one every generated module embeds (runtime_source(): its parts joined, runtime.py's
// tables in their slots), so it is assembled by the pytest run: tests/conftest.py's fixture runtime_mjs writes
// it to a file.  A driver is given that file's path as its first argument; tests/test_node.py runs
// `node --test` over every tests/**/*.test.mjs with the path in LSS_RUNTIME_MJS.
import fs from "node:fs";
import { pathToFileURL } from "node:url";

/** The path of the assembled runtime that tests/test_node.py names (a clear error run without it). */
export function runtimePath() {
  const path = process.env.LSS_RUNTIME_MJS;
  if (!path || !fs.existsSync(path)) {
    throw new Error("LSS_RUNTIME_MJS names no assembled runtime: run the .test.mjs files through pytest (tests/test_node.py)");
  }
  return path;
}

/** The module at ``path`` with ``names`` exported as well (names it keeps private, e.g. "pyRepr as quoted"). */
export async function importWith(path, names = []) {
  if (names.length === 0) return import(pathToFileURL(path).href);
  const source = fs.readFileSync(path, "utf-8") + `\nexport { ${names.join(", ")} };\n`;
  return import("data:text/javascript;base64," + Buffer.from(source).toString("base64"));
}

/** The runtime named in LSS_RUNTIME_MJS, with ``names`` of its private ones exported too. */
export const runtime = (names = []) => importWith(runtimePath(), names);

/** JSON from standard input (a driver's input). */
export const stdinJson = () => JSON.parse(fs.readFileSync(0, "utf-8"));
