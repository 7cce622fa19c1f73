/**
 * The hot path of the raw landing: runs of plain lines (no quote, backslash, NUL)
 * with the expected number of fields are copied to the COPY output byte for byte,
 * each followed by `<delimiter><line number>\n`. A run stops at the first line that
 * needs the full grammar (the caller's slow path: quotes, wrong field counts, lines
 * over maxBytes) or when `out` runs out of room.
 * Kept as small loops in their own functions so V8 optimises them well.
 */
import * as csv from './csv-bytes.js';

// Module-level copies, so hot loops read local constants rather than import bindings
// (which some runtimes, e.g. test transforms, turn into property reads).
const { CR, DELIMITER, incrementDigits, LF, PLAIN, setDigits } = csv;

export interface RunState {
  /** Next input byte; next output byte; line number of the line at pos; lines loaded. */
  pos: number;
  o: number;
  line: number;
  loaded: number;
}

/** Why a run stopped. */
export const STOPPED_AT_LINE = 0;
export const OUT_OF_ROOM = 1;

const ROOM_PER_LINE = 24; // delimiter + up to 20 digits + LF, and some slack
/** The current line number as ASCII digits, incremented in place (no division per line). */
const digits = new Uint8Array(24);

/**
 * For chunks without CR that are valid UTF-8. `end` is just after the last LF of
 * `buf` (so every line started before it ends before it); `special` is the offset of
 * the first quote, backslash or NUL at or after `state.pos`.
 */
export function copyPlainLines(
  buf: Uint8Array,
  end: number,
  special: number,
  out: Uint8Array,
  state: RunState,
  delimiter: number,
  expected: number,
  maxBytes: number,
): number {
  let { pos, o, line } = state;
  let width = setDigits(digits, line);
  let loaded = 0;
  let stopped = STOPPED_AT_LINE;
  while (pos < end) {
    if (out.length - o < end - pos + ROOM_PER_LINE) {
      stopped = OUT_OF_ROOM;
      break;
    }
    const start = o;
    let fields = 1;
    let i = pos;
    for (; ; i++) {
      const b = buf[i]!;
      if (b === LF) break;
      if (b === delimiter) fields++;
      out[o++] = b;
    }
    if (fields !== expected || special < i || i - pos > maxBytes) {
      o = start;
      break;
    }
    out[o++] = delimiter;
    for (let k = 0; k < width; k++) out[o++] = digits[k]!;
    out[o++] = LF;
    width = incrementDigits(digits, width);
    line++;
    loaded++;
    pos = i + 1;
  }
  state.pos = pos;
  state.o = o;
  state.line = line;
  state.loaded += loaded;
  return stopped;
}

/**
 * For chunks with CR line ends (or not valid UTF-8 as a whole: then `classes` stops
 * at non-ASCII bytes too). Stops at any byte of class STOP other than a line end.
 */
export function copyPlainLinesByClass(
  buf: Uint8Array,
  n: number,
  classes: Uint8Array,
  out: Uint8Array,
  state: RunState,
  delimiter: number,
  expected: number,
  maxBytes: number,
): number {
  let { pos, o, line } = state;
  let width = setDigits(digits, line);
  let loaded = 0;
  let stopped = STOPPED_AT_LINE;
  while (pos < n) {
    if (out.length - o < n - pos + ROOM_PER_LINE) {
      stopped = OUT_OF_ROOM;
      break;
    }
    const start = o;
    let fields = 1;
    let i = pos;
    for (; i < n; i++) {
      const b = buf[i]!;
      const c = classes[b];
      if (c === PLAIN) out[o++] = b;
      else if (c === DELIMITER) {
        fields++;
        out[o++] = b;
      } else break;
    }
    const b = buf[i];
    const next = b === LF ? i + 1 : b === CR && i + 1 < n ? (buf[i + 1] === LF ? i + 2 : i + 1) : -1;
    if (fields !== expected || next < 0 || i - pos > maxBytes) {
      o = start;
      break;
    }
    out[o++] = delimiter;
    for (let k = 0; k < width; k++) out[o++] = digits[k]!;
    out[o++] = LF;
    width = incrementDigits(digits, width);
    line++;
    loaded++;
    pos = next;
  }
  state.pos = pos;
  state.o = o;
  state.line = line;
  state.loaded += loaded;
  return stopped;
}
