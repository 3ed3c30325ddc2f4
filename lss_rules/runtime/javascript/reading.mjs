// --------------------------------------------------------------------------- reading

const MAX_LINE = /* runtime.py */ null; // longer lines are not records (a binary file?); they are cut to this many bytes
const BLOCK = /* runtime.py */ null; // bytes read at a time
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // Python's strict "utf-8"

/** ISO-8859-1: every byte is the code point of the same number (not the browser's windows-1252). */
function latin1(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return out;
}

/** One line's bytes (without its LF): CR of a CRLF dropped, cut at MAX_LINE, UTF-8 else ISO-8859-1. */
function oneLine(raw, ended) {
  if (ended && raw.length && raw[raw.length - 1] === 13) raw = raw.subarray(0, raw.length - 1);
  if (raw.length > MAX_LINE) raw = raw.subarray(0, MAX_LINE);
  try {
    return UTF8.decode(raw);
  } catch {
    return latin1(raw);
  }
}

function splitBytes(head) {
  const out = [];
  let start = 0;
  for (;;) {
    const lf = head.indexOf(10, start);
    if (lf < 0) break;
    out.push(oneLine(head.subarray(start, lf), true));
    start = lf + 1;
  }
  out.push(oneLine(head.subarray(start), true));
  return out;
}

/** The lines of a run of complete lines (every one ended by LF, the last LF already removed). */
function blockLines(head) {
  let text;
  try {
    text = UTF8.decode(head);
  } catch {
    return splitBytes(head); // some line is not UTF-8: decide line by line
  }
  const lines = text.split("\n");
  if (head.length > MAX_LINE) {
    // a line may be longer than MAX_LINE bytes (a UTF-16 unit is at most three bytes): cut it as bytes
    for (const line of lines) if (line.length * 3 > MAX_LINE) return splitBytes(head);
  }
  const cr = text.indexOf("\r") >= 0;
  if (cr) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
    }
  }
  // all ASCII (as many UTF-16 units as bytes): each line's char codes are its bytes (iter_lines, py_fields)
  if (text.length === head.length) asciiBlocks.set(lines, head);
  return lines;
}

// the blocks of lines (arrays) that are all ASCII -> their bytes: a line is read there by number (py_fields)
const asciiBlocks = new WeakMap();

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * A source of bytes to read (once or more): a Uint8Array, an ArrayBuffer, or an object with
 * ``name``, ``size`` and ``open()`` giving a reader whose ``read()`` returns the next chunk
 * (a Uint8Array) or null at the end.  Node files and browser File objects are wrapped so.
 */
export function bytesSource(bytes, name = "") {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return {
    name,
    size: data.length,
    open() {
      let at = 0;
      return {
        read() {
          if (at >= data.length) return null;
          const chunk = data.subarray(at, at + BLOCK);
          at += chunk.length;
          return chunk;
        },
      };
    },
  };
}

export function asSource(input, name = "") {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return bytesSource(input, name);
  if (typeof input === "string") return bytesSource(new TextEncoder().encode(input), name);
  return input;
}

/**
 * Call ``onLines(lines)`` with the lines of a source, a block at a time, decoded, without line ends.
 *
 * Streams (a block of about 1 MiB in memory at a time).  LF or CRLF; UTF-8 with or without a
 * byte-order mark, else ISO-8859-1 (decided per line, so a file that mixes them loses nothing).  A
 * final line end is optional; every other line end ends a line, so a blank line inside the file is a
 * line.  A line longer than 64 KiB (a binary file) is cut to 64 KiB.  ``onBytes(n)``: progress.
 */
export function readLines(source, onLines, onBytes) {
  for (const lines of lineBlocks(source, onBytes)) onLines(lines);
}

/** The blocks of lines of ``readLines``, as a generator. */
export function* lineBlocks(source, onBytes) {
  const reader = source.open();
  let carry = null;
  let first = true;
  for (;;) {
    let block = reader.read();
    if (block && onBytes) onBytes(block.length);
    if (first) {
      while (block && block.length < 3 && [0xef, 0xbb, 0xbf].slice(0, block.length).every((b, i) => block[i] === b)) {
        const more = reader.read(); // a very short read: make sure a BOM is seen whole
        if (!more) break;
        if (onBytes) onBytes(more.length);
        block = concat(block, more);
      }
      if (block && block.length >= 3 && block[0] === 0xef && block[1] === 0xbb && block[2] === 0xbf) {
        block = block.subarray(3);
      }
      first = false;
    }
    if (!block) {
      if (carry && carry.length) yield [oneLine(carry, false)];
      return;
    }
    if (!block.length) continue;
    const data = carry && carry.length ? concat(carry, block) : block;
    const cut = data.lastIndexOf(10);
    if (cut < 0) {
      carry = data.slice(0, MAX_LINE + 2); // the line goes on; only its start is ever used
      continue;
    }
    carry = data.slice(cut + 1, Math.min(data.length, cut + 1 + MAX_LINE + 2));
    yield blockLines(data.subarray(0, cut));
  }
}

/** Every line of a source as one array (tests and small inputs). */
export function allLines(source) {
  const out = [];
  readLines(asSource(source), (lines) => {
    for (const line of lines) out.push(line);
  });
  return out;
}

