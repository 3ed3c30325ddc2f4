// --------------------------------------------------------------------------- the starts of files, kept (for speed only)

// The whole-file hints read the first HINT_BYTES of every file.  A file given by name keeps its start from
// the first reading (iter_lines): the hints take it from here when the file's state (device, inode, size,
// modification time: file_state) is still the one it was read with, and read the file again otherwise, as
// runtime.py's _read_lines and file_hints do.  Bytes kept in all: at most HEAD_ROOM; a start is given back
// when the hints take it.  (On the 80k register, as users start it: no second opening, fstat and read of
// 290 files; benchmarks/bench_first_run.py.)

const HEAD_ROOM = /* runtime.py */ null; // bytes of files' starts kept at most

// path -> [state, the first bytes (a copy)]
const HEADS = new Map();
let headBytes = 0;

/** ``source`` (of a file named ``path``, in the state ``source.state``) keeping its first bytes as it is read. */
function keepingHead(path, source) {
  const state = source.state;
  if (typeof path !== "string" || typeof state !== "string") return source;
  return {
    name: source.name,
    size: source.size,
    state,
    onBytes: source.onBytes,
    open(want) {
      const reader = source.open(want);
      let head = null; // the bytes read so far while fewer than HINT_BYTES (a copy: the reader reuses its buffer)
      let kept = headBytes + HINT_BYTES > HEAD_ROOM;
      const keep = (start) => {
        const before = HEADS.get(path);
        if (before !== undefined) headBytes -= before[1].length;
        HEADS.set(path, [state, start]);
        headBytes += start.length;
        kept = true;
      };
      return {
        read() {
          const chunk = reader.read();
          if (!kept) {
            if (chunk === null) {
              keep(head ?? new Uint8Array(0));
            } else {
              const more = chunk.subarray(0, HINT_BYTES - (head === null ? 0 : head.length));
              head = head === null ? more.slice() : concat(head, more);
              if (head.length === HINT_BYTES) keep(head);
            }
          }
          return chunk;
        },
        close() {
          reader.close?.();
        },
      };
    },
  };
}

/** The first HINT_BYTES (or fewer: the whole file) of the file ``path`` as first read, if its state is ``state``. */
function keptHead(path, state) {
  const kept = HEADS.get(path);
  if (kept === undefined) return null;
  HEADS.delete(path);
  headBytes -= kept[1].length;
  return kept[0] === state ? kept[1] : null;
}
