/**
 * The escapes of a string literal in a tag, as Python's unicode-escape reads
 * them: \n \t \\ \' \" \a \b \f \v \r, octal \ooo, \xhh, \uhhhh, \Uhhhhhhhh, and a
 * backslash before a newline joins the lines. Unknown escapes stay as written.
 */
const SIMPLE: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

const HEX_LENGTH: Record<string, [number, string]> = {
  x: [2, 'truncated \\xXX escape'],
  u: [4, 'truncated \\uXXXX escape'],
  U: [8, 'truncated \\UXXXXXXXX escape'],
};

export function unescapeString(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const slash = body.indexOf('\\', i);
    if (slash === -1) {
      out += body.slice(i);
      break;
    }
    out += body.slice(i, slash);
    const ch = body[slash + 1]!;
    i = slash + 2;
    if (ch in SIMPLE) {
      out += SIMPLE[ch];
    } else if (ch >= '0' && ch <= '7') {
      let digits = ch;
      while (digits.length < 3 && /[0-7]/.test(body[i] ?? '')) digits += body[i++];
      out += String.fromCodePoint(parseInt(digits, 8));
    } else if (ch in HEX_LENGTH) {
      const [length, message] = HEX_LENGTH[ch]!;
      const hex = body.slice(i, i + length);
      if (hex.length < length || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error(message);
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new Error('illegal Unicode character');
      out += String.fromCodePoint(cp);
      i += length;
    } else if (ch === 'N') {
      throw new Error('\\N{...} escapes are not supported; write the character itself');
    } else {
      out += `\\${ch}`;
    }
  }
  return out;
}
