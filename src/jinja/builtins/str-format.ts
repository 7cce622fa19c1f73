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
  return new Formatter(args, kwargs, lookup).render(format, 2);
}

class Formatter {
  /** The last automatic field number (`{}`), -1 before the first. */
  private auto = -1;
  private manual = false;

  constructor(
    private readonly args: unknown[],
    private readonly kwargs: Record<string, unknown>,
    private readonly lookup: FieldLookup,
  ) {}

  render(format: string, depth: number): string {
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
      out += this.renderField(field, depth);
    }
    return out;
  }

  private renderField(field: string, depth: number): string {
    const m = /^([^.[!:]*)((?:\.[^.[!:]*|\[[^\]]*\])*)(?:!([^:]*))?(?::([\s\S]*))?$/.exec(field);
    if (!m) throw valueError('unexpected end of format string');
    const [, first = '', rest = '', conversion, spec = ''] = m;
    let value = this.argument(first);
    for (const part of rest.match(/\.[^.[]*|\[[^\]]*\]/g) ?? []) {
      if (part.startsWith('.')) value = this.lookup(value, part.slice(1), true);
      else {
        const key = part.slice(1, -1);
        value = this.lookup(value, /^\d+$/.test(key) ? Number(key) : key, false);
      }
    }
    if (conversion !== undefined) {
      if (conversion === 's') value = pyStr(value);
      else if (conversion === 'r' || conversion === 'a') value = pyRepr(value);
      else throw valueError(`Unknown conversion specifier ${conversion}`);
    }
    const fullSpec = spec.includes('{') ? this.render(spec, depth - 1) : spec;
    return formatValue(value, fullSpec);
  }

  /** `{}` (automatic numbering), `{0}` (manual) or `{name}`; Python refuses mixing the first two. */
  private argument(first: string): unknown {
    if (first === '') {
      if (this.manual) throw valueError('cannot switch from manual field specification to automatic field numbering');
      this.auto++;
      return positional(this.args, this.auto);
    }
    if (/^\d+$/.test(first)) {
      if (this.auto >= 0) throw valueError('cannot switch from automatic field numbering to manual field specification');
      this.manual = true;
      return positional(this.args, Number(first));
    }
    if (!Object.hasOwn(this.kwargs, first)) throw keyError(pyRepr(first));
    return this.kwargs[first];
  }
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

function positional(args: unknown[], index: number): unknown {
  if (index >= args.length) throw indexError(`Replacement index ${index} out of range for positional args tuple`);
  return args[index];
}
