/**
 * The Python types that have no JavaScript twin. list = Array, tuple = frozen
 * Array, dict = plain object (insertion order, except that JavaScript puts
 * integer-like keys first), set = Set, None = null. The rest are small classes.
 */

/** Keyword arguments handed to a plain JavaScript function: the call's last argument. */
export class Kwargs {
  [key: string]: unknown;
  constructor(values: Record<string, unknown> = {}) {
    Object.assign(this, values);
  }
}

/** A Python tuple: an Array frozen like the immutable value it stands for. */
export function tuple<T>(items: T[]): T[] {
  return Object.freeze(items) as T[];
}

export function isTuple(v: unknown): v is unknown[] {
  return Array.isArray(v) && Object.isFrozen(v);
}

/** A Python dict: a plain object (or Kwargs), not a class instance. */
export function isDict(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || v instanceof Kwargs;
}

/** Sets a dict key; "__proto__" too, as an own key (JavaScript would take it for the prototype). */
export function dictSet(d: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(d, key, { value, writable: true, enumerable: true, configurable: true });
  else d[key] = value;
}

/** Python's range(): lazy, re-iterable, prints as `range(0, 3)`. */
export class PyRange {
  readonly length: number;
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    const n = step > 0 ? Math.ceil((stop - start) / step) : Math.ceil((start - stop) / -step);
    this.length = Math.max(0, n);
  }

  at(i: number): number {
    return this.start + i * this.step;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield this.start + i * this.step;
  }
}

/**
 * A Python generator (what `map`, `select`, `reverse`... return): true in an `if`
 * whatever it holds, and it can be iterated once.
 */
export class PyGenerator {
  constructor(
    readonly iterator: Iterator<unknown>,
    readonly label = 'generator',
  ) {}

  [Symbol.iterator](): Iterator<unknown> {
    return this.iterator;
  }
}

/** dict.keys()/values()/items(): a sized, re-iterable view that prints as `dict_items([...])`. */
export class DictView {
  constructor(
    readonly kind: 'dict_keys' | 'dict_values' | 'dict_items',
    readonly items: unknown[],
  ) {}

  [Symbol.iterator](): Iterator<unknown> {
    return this.items[Symbol.iterator]();
  }
}

/** markupsafe.Markup: a string marked safe (from `|safe`, `|escape`, `|tojson`...). */
export class Markup {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** jinja2's namespace(): attributes settable with `{% set ns.x = ... %}` from any scope. */
export class Namespace {
  constructor(readonly attrs: Record<string, unknown>) {}
}
