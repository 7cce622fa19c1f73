/**
 * The one-line values of the fast YAML path (fast-yaml.ts): plain scalars resolved
 * with yaml's core schema, quoted scalars, and flow lists and maps.
 */

/** Thrown to leave a file to the `yaml` package. */
export class NotFast extends Error {}

/** Line of a node, and of its children by key or index (for YamlFile.lineOf). */
export interface Lines {
  line: number;
  children?: Map<string | number, Lines>;
}

/** A scalar, `[...]` or `{...}` on one line from `pos`; returns value, end position and item lines. */
export function parseScalarOrFlow(text: string, pos: number, inFlow: boolean, line: number): [unknown, number, Map<string | number, Lines>?] {
  const c = text[pos];
  if (c === '[' || c === '{') return parseFlow(text, pos, line);
  if (c === '"' || c === "'") return parseQuoted(text, pos);
  if (c === undefined || '&*!%@`,[]{}#?:|>'.includes(c) || (c === '-' && (text[pos + 1] ?? ' ') === ' ')) throw new NotFast();
  let end: number;
  let plain: string;
  if (inFlow) {
    end = pos;
    while (end < text.length && !',[]{}'.includes(text[end]!)) end++;
    plain = text.slice(pos, end).replace(/ +$/, '');
    if (/[:#'"]/.test(plain)) throw new NotFast();
  } else {
    const comment = text.indexOf(' #', pos);
    end = comment < 0 ? text.length : comment;
    plain = text.slice(pos, end).replace(/ +$/, '');
    if (plain.includes(': ') || plain.endsWith(':')) throw new NotFast();
  }
  if (plain === '') throw new NotFast();
  return [resolvePlain(plain), end];
}

function parseFlow(text: string, pos: number, line: number): [unknown, number, Map<string | number, Lines>] {
  const isList = text[pos] === '[';
  const close = isList ? ']' : '}';
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  const children = new Map<string | number, Lines>();
  pos = skipSpaces(text, pos + 1);
  if (text[pos] === close) return [isList ? list : map, pos + 1, children];
  for (;;) {
    let key: string | undefined;
    if (!isList) {
      const found = /^([A-Za-z_][A-Za-z0-9_]*): /.exec(text.slice(pos));
      if (!found || found[1] === '__proto__' || Object.hasOwn(map, found[1]!)) throw new NotFast();
      key = found[1]!;
      pos = skipSpaces(text, pos + found[0].length);
    }
    const [value, end, grandchildren] = parseScalarOrFlow(text, pos, true, line);
    if (isList) list.push(value);
    else map[key!] = value;
    children.set(isList ? list.length - 1 : key!, { line, children: grandchildren });
    pos = skipSpaces(text, end);
    if (text[pos] === close) return [isList ? list : map, pos + 1, children];
    if (text[pos] !== ',') throw new NotFast();
    pos = skipSpaces(text, pos + 1);
    // A trailing comma: leave it to `yaml`.
    if (text[pos] === close) throw new NotFast();
  }
}

/** One-line quoted scalars; escapes in double quotes go to `yaml`. */
function parseQuoted(text: string, pos: number): [string, number] {
  const quote = text[pos]!;
  if (quote === '"') {
    const end = text.indexOf('"', pos + 1);
    const value = end < 0 ? '' : text.slice(pos + 1, end);
    if (end < 0 || value.includes('\\')) throw new NotFast();
    return [value, end + 1];
  }
  let value = '';
  for (let i = pos + 1; i < text.length; i++) {
    if (text[i] !== "'") value += text[i];
    else if (text[i + 1] === "'") value += "'", i++;
    else return [value, i + 1];
  }
  throw new NotFast();
}

/** yaml's core schema, in its order: null, bool, int (octal, decimal, hex), float (nan/inf, exponent, plain). */
export function resolvePlain(text: string): unknown {
  // Most scalars are words: only null and bool words can be anything but a string.
  if (/^[A-Za-z_][A-Za-z0-9_ ]*$/.test(text) && !/^(?:[NnTtFf])/.test(text)) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === 't' || text[0] === 'T';
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
  return text;
}

function skipSpaces(text: string, pos: number): number {
  while (text[pos] === ' ') pos++;
  return pos;
}
