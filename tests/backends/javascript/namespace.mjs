// Print a module's exports as JSON (test_js_shared.py: the values runtime.py shares, as JavaScript reads them).
// argv[2]: the module's path.
import { importWith } from "./under_test.mjs";

process.stdout.write(JSON.stringify(await importWith(process.argv[2])));
