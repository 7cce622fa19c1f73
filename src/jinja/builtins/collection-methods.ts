/**
 * Python's list, tuple, dict and set methods for templates: `cols.append(x)`
 * inside `{% do %}`, `d.items()`, `d.get(k, default)`, `s.union(t)`... The
 * sandbox allows the mutating ones, as dbt's SandboxedEnvironment does.
 */
import { indexError, keyError, typeError, valueError } from '../errors.js';
import { callValue } from '../runtime/call.js';
import { pyFunction, type PyCallable } from '../runtime/py-function.js';
import { pyCompareForSort, pyEquals, setHas } from '../values/compare.js';
import { pyIter, toList } from '../values/iterate.js';
import { DictView, dictSet, isDict, tuple } from '../values/py-types.js';
import { pyRepr } from '../values/repr.js';
import { typeName } from '../values/type-name.js';
import { dictKey } from '../values/dict-key.js';

type Method = PyCallable<(...args: any[]) => unknown>;

/** Method tables have no prototype: `x.toString` is not a Python method. */
export function methodTable(methods: Record<string, Method>): Record<string, Method> {
  return Object.assign(Object.create(null) as Record<string, Method>, methods);
}

function method<T>(name: string, params: string[], impl: (this: T, ...args: any[]) => unknown): Method {
  return pyFunction({ name, params, raw: true }, impl);
}

function toInt(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw typeError(`'${typeName(v)}' object cannot be interpreted as an integer`);
}

function indexOf(items: unknown[], x: unknown, start: unknown, end: unknown, kind: string): number {
  const len = items.length;
  const norm = (v: unknown, d: number) => {
    if (v === null || v === undefined) return d;
    const n = toInt(v);
    return n < 0 ? Math.max(0, n + len) : Math.min(n, len);
  };
  for (let i = norm(start, 0); i < norm(end, len); i++) if (pyEquals(items[i], x)) return i;
  throw valueError(kind === 'list' ? `${pyRepr(x)} is not in list` : 'tuple.index(x): x not in tuple');
}

const count = (items: unknown[], x: unknown) => items.filter((item) => pyEquals(item, x)).length;

export const LIST_METHODS: Record<string, Method> = methodTable({
  append: method<unknown[]>('append', ['object'], function (x) {
    this.push(x);
    return null;
  }),
  extend: method<unknown[]>('extend', ['iterable'], function (it) {
    this.push(...toList(it));
    return null;
  }),
  insert: method<unknown[]>('insert', ['index', 'object'], function (index, x) {
    let i = toInt(index);
    if (i < 0) i = Math.max(0, i + this.length);
    this.splice(Math.min(i, this.length), 0, x);
    return null;
  }),
  pop: method<unknown[]>('pop', ['index=-1'], function (index) {
    if (!this.length) throw indexError('pop from empty list');
    let i = toInt(index);
    if (i < 0) i += this.length;
    if (i < 0 || i >= this.length) throw indexError('pop index out of range');
    return this.splice(i, 1)[0];
  }),
  remove: method<unknown[]>('remove', ['value'], function (x) {
    const i = this.findIndex((item) => pyEquals(item, x));
    if (i === -1) throw valueError('list.remove(x): x not in list');
    this.splice(i, 1);
    return null;
  }),
  index: method<unknown[]>('index', ['value', 'start=None', 'stop=None'], function (x, a, b) {
    return indexOf(this, x, a, b, 'list');
  }),
  count: method<unknown[]>('count', ['value'], function (x) {
    return count(this, x);
  }),
  sort: method<unknown[]>('sort', ['*', 'key=None', 'reverse=False'], function (key, reverse) {
    const keyOf = key === null ? (v: unknown) => v : (v: unknown) => callValue(key, null, [v], null);
    const keyed = this.map((v) => [keyOf(v), v] as const);
    keyed.sort((a, b) => (reverse ? pyCompareForSort(b[0], a[0]) : pyCompareForSort(a[0], b[0])));
    keyed.forEach(([, v], i) => (this[i] = v));
    return null;
  }),
  reverse: method<unknown[]>('reverse', [], function () {
    this.reverse();
    return null;
  }),
  copy: method<unknown[]>('copy', [], function () {
    return this.slice();
  }),
  clear: method<unknown[]>('clear', [], function () {
    this.length = 0;
    return null;
  }),
});

export const TUPLE_METHODS: Record<string, Method> = methodTable({
  index: method<unknown[]>('index', ['value', 'start=None', 'stop=None'], function (x, a, b) {
    return indexOf(this, x, a, b, 'tuple');
  }),
  count: method<unknown[]>('count', ['value'], function (x) {
    return count(this, x);
  }),
});

type Dict = Record<string, unknown>;

function updateDict(d: Dict, other: unknown, kwargs: Dict): void {
  if (other !== null && other !== undefined) {
    if (isDict(other)) for (const k of Object.keys(other)) dictSet(d, k, other[k]);
    else {
      for (const pair of pyIter(other)) {
        const kv = toList(pair);
        if (kv.length !== 2) throw valueError(`dictionary update sequence element has length ${kv.length}; 2 is required`);
        dictSet(d, dictKey(kv[0]), kv[1]);
      }
    }
  }
  for (const k of Object.keys(kwargs)) dictSet(d, k, kwargs[k]);
}

export const DICT_METHODS: Record<string, Method> = methodTable({
  get: method<Dict>('get', ['key', 'default=None'], function (key, dflt) {
    const k = dictKey(key);
    return Object.hasOwn(this, k) ? this[k] : dflt;
  }),
  items: method<Dict>('items', [], function () {
    return new DictView(
      'dict_items',
      Object.keys(this).map((k) => tuple([k, this[k]])),
    );
  }),
  keys: method<Dict>('keys', [], function () {
    return new DictView('dict_keys', Object.keys(this));
  }),
  values: method<Dict>('values', [], function () {
    return new DictView('dict_values', Object.values(this));
  }),
  update: method<Dict>('update', ['other=None', '**kwargs'], function (other, kwargs) {
    updateDict(this, other, kwargs);
    return null;
  }),
  pop: pyFunction({ name: 'pop', params: ['key', '*default'], raw: true }, function (this: Dict, key: unknown, dflt: unknown[]) {
    const k = dictKey(key);
    if (Object.hasOwn(this, k)) {
      const v = this[k];
      delete this[k];
      return v;
    }
    if (dflt.length) return dflt[0];
    throw keyError(pyRepr(key));
  }),
  popitem: method<Dict>('popitem', [], function () {
    const keys = Object.keys(this);
    if (!keys.length) throw keyError("'popitem(): dictionary is empty'");
    const k = keys[keys.length - 1]!;
    const v = this[k];
    delete this[k];
    return tuple([k, v]);
  }),
  setdefault: method<Dict>('setdefault', ['key', 'default=None'], function (key, dflt) {
    const k = dictKey(key);
    if (!Object.hasOwn(this, k)) dictSet(this, k, dflt);
    return this[k];
  }),
  copy: method<Dict>('copy', [], function () {
    return { ...this };
  }),
  clear: method<Dict>('clear', [], function () {
    for (const k of Object.keys(this)) delete this[k];
    return null;
  }),
});

type PySet = Set<unknown>;
const others = (args: unknown[]) => args.map((a) => toList(a));

export const SET_METHODS: Record<string, Method> = methodTable({
  add: method<PySet>('add', ['elem'], function (x) {
    if (!setHas(this, x)) this.add(x);
    return null;
  }),
  update: method<PySet>('update', ['*others'], function (args) {
    for (const o of others(args)) for (const x of o) if (!setHas(this, x)) this.add(x);
    return null;
  }),
  union: method<PySet>('union', ['*others'], function (args) {
    const out = new Set(this);
    for (const o of others(args)) for (const x of o) if (!setHas(out, x)) out.add(x);
    return out;
  }),
  intersection: method<PySet>('intersection', ['*others'], function (args) {
    const sets = others(args).map((o) => new Set(o));
    return new Set([...this].filter((x) => sets.every((s) => setHas(s, x))));
  }),
  difference: method<PySet>('difference', ['*others'], function (args) {
    const sets = others(args).map((o) => new Set(o));
    return new Set([...this].filter((x) => !sets.some((s) => setHas(s, x))));
  }),
  symmetric_difference: method<PySet>('symmetric_difference', ['other'], function (other) {
    const o = new Set(toList(other));
    return new Set([...[...this].filter((x) => !setHas(o, x)), ...[...o].filter((x) => !setHas(this, x))]);
  }),
  issubset: method<PySet>('issubset', ['other'], function (other) {
    const o = new Set(toList(other));
    return [...this].every((x) => setHas(o, x));
  }),
  issuperset: method<PySet>('issuperset', ['other'], function (other) {
    return toList(other).every((x) => setHas(this, x));
  }),
  isdisjoint: method<PySet>('isdisjoint', ['other'], function (other) {
    return !toList(other).some((x) => setHas(this, x));
  }),
  discard: method<PySet>('discard', ['elem'], function (x) {
    deleteFromSet(this, x);
    return null;
  }),
  remove: method<PySet>('remove', ['elem'], function (x) {
    if (!deleteFromSet(this, x)) throw keyError(pyRepr(x));
    return null;
  }),
  pop: method<PySet>('pop', [], function () {
    const first = this.values().next();
    if (first.done) throw keyError("'pop from an empty set'");
    this.delete(first.value);
    return first.value;
  }),
  copy: method<PySet>('copy', [], function () {
    return new Set(this);
  }),
  clear: method<PySet>('clear', [], function () {
    this.clear();
    return null;
  }),
});

function deleteFromSet(set: PySet, x: unknown): boolean {
  for (const item of set) {
    if (pyEquals(item, x)) {
      set.delete(item);
      return true;
    }
  }
  return false;
}
