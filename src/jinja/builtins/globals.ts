/**
 * Jinja2's default globals: range (the sandbox's: at most 100,000 items), dict,
 * namespace, cycler, joiner, lipsum.
 */
import { overflowError, PyError, typeError, valueError } from '../errors.js';
import { pyFunction } from '../runtime/py-function.js';
import { NO_ATTRIBUTE, PY_ATTR, PY_CALL, PY_REPR, type PyObject } from '../values/protocol.js';
import { dictSet, isDict, Markup, Namespace, PyRange } from '../values/py-types.js';
import { typeName } from '../values/type-name.js';
import { toList } from '../values/iterate.js';
import { dictKey } from '../values/dict-key.js';
import { escapeText } from '../values/arithmetic.js';
import { LOREM_WORDS } from './lorem-words.js';

const MAX_RANGE = 100_000;

function rangeInt(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
}

const range = pyFunction({ name: 'range', params: ['*args'], raw: true }, (args: unknown[]) => {
  if (args.length < 1 || args.length > 3) {
    throw typeError(args.length ? `range expected at most 3 arguments, got ${args.length}` : 'range expected at least 1 argument, got 0');
  }
  const n = args.map(rangeInt);
  const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
  if (step === 0) throw valueError('range() arg 3 must not be zero');
  const r = new PyRange(start, stop, step);
  if (r.length > MAX_RANGE) {
    throw overflowError(`Range too big. The sandbox blocks ranges larger than MAX_RANGE (${MAX_RANGE}).`);
  }
  return r;
});

/** dict(mapping_or_pairs, **kwargs), as Python's dict() builds it. */
function buildDict(args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  if (args.length > 1) throw typeError(`dict expected at most 1 argument, got ${args.length}`);
  const d: Record<string, unknown> = {};
  const source = args[0];
  if (isDict(source)) for (const k of Object.keys(source)) dictSet(d, k, source[k]);
  else if (source !== undefined) {
    for (const pair of toList(source)) {
      const kv = toList(pair);
      if (kv.length !== 2) throw valueError(`dictionary update sequence element has length ${kv.length}; 2 is required`);
      dictSet(d, dictKey(kv[0]), kv[1]);
    }
  }
  for (const k of Object.keys(kwargs)) dictSet(d, k, kwargs[k]);
  return d;
}

export class Cycler implements PyObject {
  private pos = 0;
  constructor(private readonly items: unknown[]) {}

  [PY_ATTR](name: string): unknown {
    switch (name) {
      case 'current':
        return this.items[this.pos];
      case 'items':
        return this.items;
      case 'next':
        return pyFunction({ name: 'next', params: [], raw: true }, () => {
          const v = this.items[this.pos];
          this.pos = (this.pos + 1) % this.items.length;
          return v;
        });
      case 'reset':
        return pyFunction({ name: 'reset', params: [], raw: true }, () => {
          this.pos = 0;
          return null;
        });
      default:
        return NO_ATTRIBUTE;
    }
  }

  [PY_REPR](): string {
    return '<jinja2.utils.Cycler object>';
  }
}

export class Joiner implements PyObject {
  private used = false;
  constructor(private readonly sep: unknown) {}

  [PY_CALL](): unknown {
    if (!this.used) {
      this.used = true;
      return '';
    }
    return this.sep;
  }

  [PY_ATTR](name: string): unknown {
    return name === 'sep' ? this.sep : name === 'used' ? this.used : NO_ATTRIBUTE;
  }

  [PY_REPR](): string {
    return '<jinja2.utils.Joiner object>';
  }
}

function randomInt(min: number, maxExclusive: number): number {
  return min + Math.floor(Math.random() * (maxExclusive - min));
}

/** Jinja2's generate_lorem_ipsum: n paragraphs of min..max random words. */
function lipsum(n: number, html: boolean, min: number, max: number): string | Markup {
  const paragraphs: string[] = [];
  for (let i = 0; i < n; i++) {
    const words: string[] = [];
    let capitalize = true;
    let lastComma = 0;
    let lastFullstop = 0;
    let last = '';
    const count = randomInt(min, max);
    for (let idx = 0; idx < count; idx++) {
      let word = last;
      while (word === last) word = LOREM_WORDS[randomInt(0, LOREM_WORDS.length)]!;
      last = word;
      if (capitalize) {
        word = word[0]!.toUpperCase() + word.slice(1);
        capitalize = false;
      }
      if (idx - randomInt(3, 8) > lastComma) {
        lastComma = idx;
        lastFullstop += 2;
        word += ',';
      }
      if (idx - randomInt(10, 20) > lastFullstop) {
        lastComma = lastFullstop = idx;
        word += '.';
        capitalize = true;
      }
      words.push(word);
    }
    let text = words.join(' ');
    if (text.endsWith(',')) text = `${text.slice(0, -1)}.`;
    else if (!text.endsWith('.')) text += '.';
    paragraphs.push(text);
  }
  if (!html) return paragraphs.join('\n\n');
  return new Markup(paragraphs.map((p) => `<p>${escapeText(p)}</p>`).join('\n'));
}

export function makeGlobals(): Record<string, unknown> {
  return {
    range,
    dict: pyFunction({ name: 'dict', params: ['*args', '**kwargs'], raw: true }, buildDict),
    namespace: pyFunction(
      { name: 'namespace', params: ['*args', '**kwargs'], raw: true },
      (args: unknown[], kwargs: Record<string, unknown>) => new Namespace(buildDict(args, kwargs)),
    ),
    cycler: pyFunction({ name: 'cycler', params: ['*items'], raw: true }, (items: unknown[]) => {
      if (!items.length) throw new PyError('RuntimeError', 'at least one item has to be provided');
      return new Cycler([...items]);
    }),
    joiner: pyFunction({ name: 'joiner', params: ["sep=', '"], raw: true }, (sep: unknown) => new Joiner(sep)),
    lipsum: pyFunction(
      { name: 'generate_lorem_ipsum', params: ['n=5', 'html=True', 'min=20', 'max=100'], raw: true },
      (n: number, html: unknown, min: number, max: number) => lipsum(n, Boolean(html), min, max),
    ),
  };
}
