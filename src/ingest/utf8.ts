/**
 * Where a byte range stops being valid UTF-8, to say so in a reject reason.
 * Only runs on records already known to be invalid (Buffer's isUtf8 finds those).
 */
export function firstInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let size: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [size, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [size, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [size, min] = [4, 0x10000];
    else return i;
    if (i + size > end) return i;
    let code = b & (0xff >> (size + 1));
    for (let k = 1; k < size; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += size;
  }
  return -1;
}
