/**
 * Python's str.format(): `{}`, `{0}`, `{name}`, `{0.attr}`, `{0[key]}`, `!r`,
 * and the format-spec mini-language (`{:>10}`, `{:,.2f}`, `{:08.3f}`, `{:x}`).
 * Fields look attributes up as the sandbox does (`getField`).
 */
import { indexError, keyError, valueError } from '../errors.js';
import { pyRepr, pyStr } from '../values/repr.js';
import { formatValue } from './format-spec.js';

export type FieldLookup = (obj: unknown, key: string | number, isAttribute: boolean) => unknown;

export function strFormat(format: string, args: unknown[], kwargs: Record<string, unknown>, lookup: FieldLookup): string {
  const state = { auto: -1 as number, manual: false };
  return render(format, args, kwargs, lookup, state, 2);
}

function render(
  format: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  lookup: FieldLookup,
  state: { auto: number; manual: boolean },
  depth: number,
): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i]!;
    if (c === '}') {
      if (format[i + 1] !== '}') throw valueError("Single '}' encountered in format string");
      out += '}';
      i += 2;
      continue;
    }
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    if (format[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const end = fieldEnd(format, i + 1);
    const field = format.slice(i + 1, end);
    i = end + 1;
    if (depth === 0) throw valueError('Max string recursion exceeded');
    out += renderField(field, args, kwargs, lookup, state, depth);
  }
  return out;
}

/** The index of the `}` closing the field that starts at `start` (nested `{}` in the spec allowed). */
function fieldEnd(format: string, start: number): number {
  let nesting = 1;
  for (let j = start; j < format.length; j++) {
    if (format[j] === '{') nesting++;
    else if (format[j] === '}' && --nesting === 0) return j;
  }
  throw valueError(nesting > 1 ? "unmatched '{' in format spec" : "expected '}' before end of string");
}

function renderField(
  field: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  lookup: FieldLookup,
  state: { auto: number; manual: boolean },
  depth: number,
): string {
  const m = /^([^.[!:]*)((?:\.[^.[!:]*|\[[^\]]*\])*)(?:!([^:]*))?(?::([\s\S]*))?$/.exec(field);
  if (!m) throw valueError('unexpected end of format string');
  const [, first = '', rest = '', conversion, spec = ''] = m;
  let value: unknown;
  if (first === '') {
    if (state.manual) throw valueError('cannot switch from manual field specification to automatic field numbering');
    state.auto++;
    value = positional(args, state.auto);
  } else if (/^\d+$/.test(first)) {
    if (state.auto >= 0) throw valueError('cannot switch from automatic field numbering to manual field specification');
    state.manual = true;
    value = positional(args, Number(first));
  } else {
    if (!Object.hasOwn(kwargs, first)) throw keyError(pyRepr(first));
    value = kwargs[first];
  }
  for (const part of rest.match(/\.[^.[]*|\[[^\]]*\]/g) ?? []) {
    if (part.startsWith('.')) value = lookup(value, part.slice(1), true);
    else {
      const key = part.slice(1, -1);
      value = lookup(value, /^\d+$/.test(key) ? Number(key) : key, false);
    }
  }
  if (conversion !== undefined) {
    if (conversion === 's') value = pyStr(value);
    else if (conversion === 'r' || conversion === 'a') value = pyRepr(value);
    else throw valueError(`Unknown conversion specifier ${conversion}`);
  }
  const fullSpec = spec.includes('{') ? render(spec, args, kwargs, lookup, state, depth - 1) : spec;
  return formatValue(value, fullSpec);
}

function positional(args: unknown[], index: number): unknown {
  if (index >= args.length) throw indexError(`Replacement index ${index} out of range for positional args tuple`);
  return args[index];
}
