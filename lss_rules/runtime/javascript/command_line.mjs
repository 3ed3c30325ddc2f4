// --------------------------------------------------------------------------- node, as a script

// the messages of an input that cannot be read and of a run that cannot be made; what an input is
const INPUT_MESSAGES = /* runtime.py */ null;
const KIND_WORDS = /* runtime.py */ null;

/** ``runtime.folder_message``: a folder given where a file belongs; its files named the shell's way. */
function folderMessage(path) {
  const folder = path.replace(/[/\\]+$/, "") || path;
  return fmt(INPUT_MESSAGES.folder, { path, folder });
}

/** ``runtime.not_a_file``: what to say of an input that is no regular file (its ``fs.Stats``). */
function notAFile(path, st) {
  if (st.isDirectory()) return folderMessage(path);
  const kind = st.isFIFO()
    ? KIND_WORDS.fifo
    : st.isCharacterDevice() || st.isBlockDevice()
      ? KIND_WORDS.device
      : st.isSocket()
        ? KIND_WORDS.socket
        : KIND_WORDS.other;
  return fmt(INPUT_MESSAGES.not_a_file, { path, kind });
}

// The buffer of the reading done last, lent to the next: a fresh buffer a file cost page faults in every read
// of a run of many small files (the kernel's copy touches its pages first).  Lent to one reader at a time and
// given back at its end or close, so a reader never sees another's bytes; the largest given back is kept.
let SPARE = null;

/** A buffer of ``size`` bytes: the spare one (a view of it) if it is free and large enough, else a new one. */
function borrowBuffer(size) {
  if (SPARE !== null && SPARE.length >= size) {
    const whole = SPARE;
    SPARE = null;
    return whole.length === size ? whole : whole.subarray(0, size);
  }
  return new Uint8Array(size);
}

function returnBuffer(buf) {
  const whole = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? buf : new Uint8Array(buf.buffer);
  if (SPARE === null || whole.length > SPARE.length) SPARE = whole;
}

/**
 * A file on disk as a source (node): read 1 MiB at a time with ``fs.readSync``.  Only a regular file:
 * a folder, a FIFO, a device (``/dev/urandom``) or a socket is an InputError, before a byte is read.
 */
export function nodeFileSource(fs, path) {
  let state = null;
  let size = 0;
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) throw new InputError(notAFile(path, st));
    state = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    size = st.size;
  } catch (exc) {
    if (exc instanceof InputError) throw exc;
    if (exc.code === "ENOENT") throw new InputError(fmt(INPUT_MESSAGES.missing, { path }));
    throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: osErrorText(exc) }));
  }
  let opened = 0;
  return {
    name: path,
    size, // as its stat gave it (a hint: the file is read to its end, whatever its size then)
    state,
    open(want = BLOCK) {
      // ``want``: the bytes the reader needs at most at a time (the hints read only the start of a file)
      if (opened++ && state !== null) {
        // the national rules read a file a second time: it must be the file read the first time
        let now = null;
        try {
          const st = fs.statSync(path);
          now = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
        } catch {
          now = null;
        }
        if (now !== state) throw new InputError(fmt(INPUT_MESSAGES.changed, { path }));
      }
      let fd;
      try {
        // without blocking: a FIFO put in the file's place after the stat does not keep the run waiting
        fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
      } catch (exc) {
        if (exc.code === "EISDIR") throw new InputError(folderMessage(path));
        if (exc.code === "ENOENT") throw new InputError(fmt(INPUT_MESSAGES.missing, { path }));
        throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: osErrorText(exc) }));
      }
      let found;
      try {
        found = fs.fstatSync(fd);
      } catch (exc) {
        fs.closeSync(fd);
        throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: exc.message }));
      }
      if (!found.isFile()) {
        fs.closeSync(fd);
        throw new InputError(notAFile(path, found)); // the descriptor itself, never the path again
      }
      let done = false;
      // one buffer a reading, reused: readLines is done with a chunk before it asks for the next (and iter_lines
      // forgets the line it gave last, LINE, before it asks); borrowed, given back when the reading ends
      let buf = null;
      const end = () => {
        done = true;
        if (buf !== null) returnBuffer(buf);
        buf = null;
        fs.closeSync(fd);
      };
      return {
        read() {
          if (done) return null;
          if (buf === null) {
            // a small file, a small buffer (its size as the descriptor's fstat gave it on opening)
            buf = borrowBuffer(Math.min(BLOCK, want, Math.max(found.size, 1 << 12)));
          }
          let n;
          try {
            n = fs.readSync(fd, buf, 0, buf.length, null);
          } catch (exc) {
            end();
            throw new InputError(fmt(INPUT_MESSAGES.unreadable, { path, why: osErrorText(exc) }));
          }
          if (n === 0) {
            end();
            return null;
          }
          return n === buf.length ? buf : buf.subarray(0, n);
        },
        /** Done before the end (the hints): the descriptor closed now, not held until the process exits. */
        close() {
          if (!done) end();
        },
      };
    },
  };
}

// The command line's texts, as the Python module's parser writes them (runtime.argument_parser, argparse
// with runtime.ARGPARSE_SV) when standard out is no terminal: 80 columns.  A copy of those texts
// (tests/cli/test_swedish.py::test_javascript_module_speaks_like_the_python_module compares the two).
const HELP_WIDTH = 78; // argparse: the columns less 2
const USAGE_OPTIONS = ["[-h]", "[--year ÅR]", "[--deceased FIL]", "[--format {text,json}]", "[--strict]", "[--show-personnummer]", "[--lang {sv,en}]", "[--explain]"];
const USAGE_FILES = ["FIL", "[FIL ...]"];
const HELP_BODY =
  "Granska LSS-filer mot årets regler. Avslutningskod 0 godkänd, 1 ej godkänd, 2\n" +
  "körningen kunde inte göras.\n\n" +
  "argument:\n" +
  "  FIL                   en fil per kommun; flera filer granskas tillsammans\n\n" +
  "flaggor:\n" +
  "  -h, --help            visa den här hjälpen och avsluta\n" +
  "  --year ÅR             insamlingsår\n" +
  "  --deceased FIL        utdrag ur dödsregistret: personnummer;ÅÅÅÅ-MM-DD per\n" +
  "                        rad\n" +
  "  --format {text,json}  rapportens form (standard: text)\n" +
  "  --strict              varningar ger också avslutningskod 1\n" +
  "  --show-personnummer   visa hela personnummer i rapporten\n" +
  "  --lang {sv,en}        rapportens och meddelandenas språk (standard: sv)\n" +
  "  --explain             visa under varje fynd hur regeln prövades på raden:\n" +
  // the values a clause can have: runtime.py's TRACE_WORDS (trace.mjs, joined before this part)
  `                        varje villkor med sitt värde (${TRACE_WORDS.sv.true}, ${TRACE_WORDS.sv.false},\n` +
  `                        ${TRACE_WORDS.sv.unknown}) och värdena det läste; i JSON som trace,\n` +
  `                        rapportkontrakt ${TRACE_CONTRACT}\n`;
const OPTIONS = ["-h", "--help", "--year", "--deceased", "--format", "--strict", "--show-personnummer", "--lang", "--explain"];
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/; // argparse reads these as values, not options

/** argparse's lines of a usage: ``parts`` joined by spaces, a new line (at ``indent``) where one would be too long. */
function usageLines(parts, indent, prefix = null) {
  const lines = [];
  let line = [];
  let length = (prefix === null ? indent.length : prefix.length) - 1;
  for (const part of parts) {
    if (length + 1 + part.length > HELP_WIDTH && line.length) {
      lines.push(indent + line.join(" "));
      line = [];
      length = indent.length - 1;
    }
    line.push(part);
    length += part.length + 1;
  }
  if (line.length) lines.push(indent + line.join(" "));
  if (prefix !== null) lines[0] = lines[0].slice(indent.length);
  return lines;
}

/** ``användning: PROG [-h] ...``, as argparse lays it out. */
function usage(prog) {
  const prefix = "användning: ";
  const whole = [prog, ...USAGE_OPTIONS, ...USAGE_FILES].join(" ");
  if (prefix.length + whole.length <= HELP_WIDTH) return `${prefix}${whole}\n`;
  let lines;
  if (prefix.length + prog.length <= 0.75 * HELP_WIDTH) {
    const indent = " ".repeat(prefix.length + prog.length + 1);
    lines = [...usageLines([prog, ...USAGE_OPTIONS], indent, prefix), ...usageLines(USAGE_FILES, indent)];
  } else {
    const indent = " ".repeat(prefix.length);
    lines = usageLines([...USAGE_OPTIONS, ...USAGE_FILES], indent);
    if (lines.length > 1) lines = [...usageLines(USAGE_OPTIONS, indent), ...usageLines(USAGE_FILES, indent)];
    lines = [prog, ...lines];
  }
  return `${prefix}${lines.join("\n")}\n`;
}

/** The option ``a`` (without ``=value``) names: itself, the one long option it begins (as argparse), the
 * options it could begin, or null. */
function optionNamed(a) {
  if (OPTIONS.includes(a)) return a;
  if (!a.startsWith("--")) return null;
  const matches = OPTIONS.filter((o) => o.startsWith("--") && o.startsWith(a));
  if (matches.length > 1) return matches;
  return matches.length ? matches[0] : null;
}

/** ``[option or null, inline value or null]`` of an argument, as argparse classifies it (null: a value). */
function classify(given) {
  if (!given.startsWith("-") || given === "-") return [null, null];
  if (given === "--") return ["--", null]; // the end of the options
  const eq = given.startsWith("--") ? given.indexOf("=") : -1;
  const named = optionNamed(eq < 0 ? given : given.slice(0, eq));
  if (Array.isArray(named)) throw new InputError(`flaggan ${given} är tvetydig: ${named.join(", ")}`);
  if (named !== null) return [named, eq < 0 ? null : given.slice(eq + 1)];
  if (NEGATIVE_NUMBER.test(given) || given.includes(" ")) return [null, null];
  return ["?", null]; // an option this parser does not have
}

/**
 * The arguments of ``lss-rules validate``: {files, year, deceased, format, strict, showPersonnummer, lang, explain},
 * ``{help: true}``, or an InputError with argparse's Swedish message (``runtime.ARGPARSE_SV``).
 */
export function parseArguments(argv, defaultYear) {
  const args = { files: [], year: defaultYear, deceased: null, format: "text", strict: false, showPersonnummer: false, lang: "sv", explain: false };
  const end = argv.indexOf("--");
  const kinds = argv.map((a, i) => (end >= 0 && i > end ? [null, null] : classify(a))); // argparse: every argument first
  const unknown = [];
  const value = (i, name) => {
    if (i >= argv.length || kinds[i][0] !== null) throw new InputError(`argument ${name}: ett värde saknas`);
    return argv[i];
  };
  const choice = (name, v, choices) => {
    if (!choices.includes(v)) {
      throw new InputError(`argument ${name}: ogiltigt val ${pyRepr(v)} (välj bland ${choices.map(pyRepr).join(", ")})`);
    }
    return v;
  };
  let onlyFiles = false;
  for (let i = 0; i < argv.length; i++) {
    const given = argv[i];
    if (given === "--" && !onlyFiles) {
      onlyFiles = true;
      continue;
    }
    const [named, inline] = kinds[i];
    if (onlyFiles || named === null) {
      args.files.push(given);
      continue;
    }
    if (named === "?") {
      unknown.push(given);
      continue;
    }
    const take = () => (inline !== null ? inline : value(++i, named));
    const flag = () => {
      if (inline !== null) {
        const name = named === "-h" || named === "--help" ? "-h/--help" : named;
        throw new InputError(`argument ${name}: värdet ${pyRepr(inline)} gäller inte flaggan`);
      }
      return true;
    };
    if (named === "-h" || named === "--help") {
      flag();
      return { help: true };
    } else if (named === "--year") {
      const y = take();
      if (!/^\s*[+-]?\d+\s*$/.test(y)) throw new InputError(`argument --year: ${pyRepr(y)} är inte ett heltal`);
      args.year = parseInt(y, 10);
    } else if (named === "--deceased") args.deceased = take();
    else if (named === "--format") args.format = choice(named, take(), ["text", "json"]);
    else if (named === "--lang") args.lang = choice(named, take(), ["sv", "en"]);
    else if (named === "--strict") args.strict = flag();
    else if (named === "--show-personnummer") args.showPersonnummer = flag();
    else if (named === "--explain") args.explain = flag();
  }
  if (!args.files.length) throw new InputError("följande argument måste anges: FIL");
  if (unknown.length) throw new InputError(`okända argument: ${unknown.join(" ")}`);
  return args;
}

/** The module at ``url`` is the script node runs (``node lss-2023.mjs ...``), not an import. */
export async function isMain(url) {
  if (typeof process === "undefined" || !process.argv || !process.argv[1] || !process.versions?.node) return false;
  try {
    const { pathToFileURL } = process.getBuiltinModule?.("node:url") ?? (await import("node:url")); // as NODE_FS
    return url === pathToFileURL(NODE_FS.realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}


