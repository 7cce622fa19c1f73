/**
 * Byte-level CSV vocabulary shared by the record scanner and its slow path.
 * Scanning bytes is safe for UTF-8: none of these ASCII bytes occur inside a
 * multi-byte character.
 */
export const LF = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const NUL = 0x00;
export const COMMA = 0x2c;

/** Byte classes for the fast path: 0 = plain data, anything else stops it. */
export const PLAIN = 0;
export const DELIMITER = 1;
export const STOP = 2;

/**
 * The fast path copies plain bytes and counts delimiters; it stops at a line break,
 * a quote, a backslash (COPY's NULL marker and `\.` need quoting) or a NUL byte.
 */
export function byteClasses(delimiter: number): Uint8Array {
  const classes = new Uint8Array(256);
  for (const stop of [LF, CR, QUOTE, BACKSLASH, NUL]) classes[stop] = STOP;
  classes[delimiter] = DELIMITER;
  return classes;
}

/** Writes `delimiter` + the decimal digits of `n` + LF at `at`; returns the new offset. */
export function writeLineNumber(out: Uint8Array, at: number, delimiter: number, n: number): number {
  out[at++] = delimiter;
  const digits = String(n);
  for (let k = 0; k < digits.length; k++) out[at++] = digits.charCodeAt(k);
  out[at++] = LF;
  return at;
}

/** Puts the ASCII digits of `n` in `digits`; returns how many. */
export function setDigits(digits: Uint8Array, n: number): number {
  const text = String(n);
  for (let k = 0; k < text.length; k++) digits[k] = text.charCodeAt(k);
  return text.length;
}

/** Adds one to the ASCII number in digits[0, width) in place (an odometer); returns the new width. */
export function incrementDigits(digits: Uint8Array, width: number): number {
  let k = width - 1;
  while (k >= 0 && digits[k] === 57) digits[k--] = 48;
  if (k >= 0) {
    digits[k]!++;
    return width;
  }
  digits.copyWithin(1, 0, width);
  digits[0] = 49;
  return width + 1;
}

/**
 * The physical line starting at or holding `from`: where its content ends and where
 * the next line starts. A line ends at LF, CRLF or a lone CR. Undefined when the
 * line may go on in bytes not read yet (at the end of the input it ends there).
 */
export function endOfLine(buf: Uint8Array, from: number, end: number, final: boolean): { contentEnd: number; next: number } | undefined {
  for (let i = from; i < end; i++) {
    const b = buf[i];
    if (b === LF) return { contentEnd: i, next: i + 1 };
    if (b === CR) {
      if (i + 1 < end) return { contentEnd: i, next: buf[i + 1] === LF ? i + 2 : i + 1 };
      return final ? { contentEnd: i, next: end } : undefined; // a CRLF may be split across chunks
    }
  }
  return final ? { contentEnd: end, next: end } : undefined;
}
