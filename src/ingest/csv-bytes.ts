/**
 * Byte-level CSV vocabulary shared by the record scanner and the record grammar.
 * Scanning bytes is safe for UTF-8: none of these ASCII bytes occur inside a
 * multi-byte character.
 */
export const LF = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const NUL = 0x00;

/** Writes `delimiter` + the decimal digits of `n` + LF at `at`; returns the new offset. */
export function writeLineNumber(out: Uint8Array, at: number, delimiter: number, n: number): number {
  out[at++] = delimiter;
  const digits = String(n);
  for (let k = 0; k < digits.length; k++) out[at++] = digits.charCodeAt(k);
  out[at++] = LF;
  return at;
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
