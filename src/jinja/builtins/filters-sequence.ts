/**
 * Filters on sequences and mappings: sort, unique, map, select, join, groupby,
 * dictsort, first/last, min/max, sum, batch, slice... `map`, `select`,
 * `reject`, `selectattr`, `rejectattr` and `reverse` return generators, as in
 * Jinja2 (iterable once; `|list` makes a list).
 */
import { filterArgumentError, PyError, typeError } from '../errors.js';
import { pyCompareForSort, pyEquals, pyTruthy, setHas } from '../values/compare.js';
import { pyIter, pyLen, toList } from '../values/iterate.js';
import { add } from '../values/arithmetic.js';
import { NO_ATTRIBUTE, PY_ATTR } from '../values/protocol.js';
import { isDict, Markup, PyGenerator, tuple } from '../values/py-types.js';
import { pyStr } from '../values/repr.js';
import { typeName } from '../values/type-name.js';
import { Undefined } from '../values/undefined.js';
import { getAttr } from '../runtime/attribute.js';
import { attrGetter, callFilter, callTest, filter, ignoreCase, multiAttrGetter, type Filter } from './filter-support.js';

function sortedBy<T>(items: T[], key: (item: T) => unknown, reverse: boolean): T[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => (reverse ? pyCompareForSort(b.key, a.key) : pyCompareForSort(a.key, b.key)));
  return keyed.map((k) => k.item);
}

function generator(iterable: Iterable<unknown>, label = 'generator'): PyGenerator {
  return new PyGenerator(iterable[Symbol.iterator](), label);
}

function* selectOrReject(
  filterThis: Parameters<typeof callTest>[0],
  value: unknown,
  args: unknown[],
  kwargs: Record<string, unknown>,
  reject: boolean,
  lookupAttr: boolean,
): Generator<unknown> {
  if (!pyTruthy(value)) return;
  let off = 0;
  let transform = (x: unknown) => x;
  if (lookupAttr) {
    if (!args.length) throw filterArgumentError('Missing parameter for attribute name');
    transform = attrGetter(filterThis, args[0]);
    off = 1;
  }
  const testName = args[off];
  const testArgs = args.slice(off + 1);
  const test = args.length > off ? (x: unknown) => callTest(filterThis, testName, x, testArgs, kwargs) : (x: unknown) => x;
  for (const item of pyIter(value)) {
    if (pyTruthy(test(transform(item))) !== reject) yield item;
  }
}

/** A `groupby` result: a (grouper, list) tuple whose parts are also attributes. */
function groupTuple(grouper: unknown, list: unknown[]): unknown[] {
  const t = [grouper, list];
  Object.defineProperty(t, PY_ATTR, {
    value: (name: string) => (name === 'grouper' ? grouper : name === 'list' ? list : NO_ATTRIBUTE),
  });
  return tuple(t);
}

function minOrMax(env: Parameters<typeof attrGetter>[0], value: unknown, caseSensitive: unknown, attribute: unknown, sign: number): unknown {
  const items = toList(value);
  if (!items.length) return env.undefined(undefined, 'No aggregated item, sequence was empty.');
  const key = attrGetter(env, attribute, pyTruthy(caseSensitive) ? undefined : ignoreCase);
  let best = items[0];
  let bestKey = key(best);
  for (const item of items.slice(1)) {
    const k = key(item);
    if (pyCompareForSort(k, bestKey) * sign < 0) {
      best = item;
      bestKey = k;
    }
  }
  return best;
}

export const SEQUENCE_FILTERS: Record<string, Filter> = {
  sort: filter('do_sort', ['value', 'reverse=False', 'case_sensitive=False', 'attribute=None'], function (value, reverse, caseSensitive, attribute) {
    const key = multiAttrGetter(this, attribute, pyTruthy(caseSensitive) ? undefined : ignoreCase);
    return sortedBy(toList(value).slice(), (x) => key(x), pyTruthy(reverse));
  }),
  unique: filter('do_unique', ['value', 'case_sensitive=False', 'attribute=None'], function (value, caseSensitive, attribute) {
    const key = attrGetter(this, attribute, pyTruthy(caseSensitive) ? undefined : ignoreCase);
    const seen = new Set<unknown>();
    return generator(
      (function* () {
        for (const item of pyIter(value)) {
          const k = key(item);
          if (setHas(seen, k)) continue;
          seen.add(k);
          yield item;
        }
      })(),
    );
  }),
  min: filter('do_min', ['value', 'case_sensitive=False', 'attribute=None'], function (value, cs, attribute) {
    return minOrMax(this, value, cs, attribute, 1);
  }),
  max: filter('do_max', ['value', 'case_sensitive=False', 'attribute=None'], function (value, cs, attribute) {
    return minOrMax(this, value, cs, attribute, -1);
  }),
  join: filter('do_join', ['value', "d=''", 'attribute=None'], function (value, d, attribute) {
    let items = toList(value);
    if (attribute !== null) items = items.map(attrGetter(this, attribute));
    const sep = String(d instanceof Markup ? d.text : d);
    return items.map(pyStr).join(sep);
  }),
  first: filter('do_first', ['seq'], function (seq) {
    for (const item of pyIter(seq)) return item;
    return this.undefined(undefined, 'No first item, sequence was empty.');
  }),
  last: filter('do_last', ['seq'], function (seq) {
    const items = reversible(seq);
    return items.length ? items[items.length - 1] : this.undefined(undefined, 'No last item, sequence was empty.');
  }),
  random: filter('do_random', ['seq'], function (seq) {
    const items = typeof seq === 'string' ? Array.from(seq) : Array.isArray(seq) ? seq : toList(seq);
    if (!items.length) return this.undefined(undefined, 'No random item, sequence was empty.');
    return items[Math.floor(Math.random() * items.length)];
  }),
  length: filter('len', ['obj'], (obj) => pyLen(obj)),
  count: filter('len', ['obj'], (obj) => pyLen(obj)),
  list: filter('do_list', ['value'], (value) => toList(value).slice()),
  reverse: filter('do_reverse', ['value'], function (value) {
    if (typeof value === 'string') return Array.from(value).reverse().join('');
    if (Array.isArray(value) || isDict(value)) return generator(toList(value).slice().reverse(), 'list_reverseiterator');
    try {
      return toList(value).slice().reverse();
    } catch {
      throw filterArgumentError('argument must be iterable');
    }
  }),
  sum: filter('do_sum', ['iterable', 'attribute=None', 'start=0'], function (iterable, attribute, start) {
    const get = attribute === null ? (x: unknown) => x : attrGetter(this, attribute);
    let total = start;
    for (const item of pyIter(iterable)) total = add(total, get(item));
    return total;
  }),
  map: pyFunctionMap(),
  select: filter('do_select', ['value', '*args', '**kwargs'], function (value, args, kwargs) {
    return generator(selectOrReject(this, value, args, kwargs, false, false));
  }),
  reject: filter('do_reject', ['value', '*args', '**kwargs'], function (value, args, kwargs) {
    return generator(selectOrReject(this, value, args, kwargs, true, false));
  }),
  selectattr: filter('do_selectattr', ['value', '*args', '**kwargs'], function (value, args, kwargs) {
    return generator(selectOrReject(this, value, args, kwargs, false, true));
  }),
  rejectattr: filter('do_rejectattr', ['value', '*args', '**kwargs'], function (value, args, kwargs) {
    return generator(selectOrReject(this, value, args, kwargs, true, true));
  }),
  dictsort: filter('do_dictsort', ['value', 'case_sensitive=False', "by='key'", 'reverse=False'], function (value, cs, by, reverse) {
    if (by !== 'key' && by !== 'value') throw filterArgumentError('You can only sort by either "key" or "value"');
    if (!isDict(value)) throw new PyError('AttributeError', `'${typeName(value)}' object has no attribute 'items'`);
    const pos = by === 'key' ? 0 : 1;
    const pairs = Object.keys(value).map((k) => tuple([k, value[k]]));
    return sortedBy(pairs, (p) => (pyTruthy(cs) ? p[pos] : ignoreCase(p[pos])), pyTruthy(reverse));
  }),
  items: filter('do_items', ['value'], function (value) {
    if (value instanceof Undefined) return generator([]);
    if (!isDict(value)) throw typeError('Can only get item pairs from a mapping.');
    return generator(Object.keys(value).map((k) => tuple([k, value[k]])));
  }),
  groupby: filter('do_groupby', ['value', 'attribute', 'default=None', 'case_sensitive=False'], function (value, attribute, dflt, cs) {
    const caseSensitive = pyTruthy(cs);
    const key = attrGetter(this, attribute, caseSensitive ? undefined : ignoreCase, dflt);
    const output = attrGetter(this, attribute, undefined, dflt);
    const groups: unknown[] = [];
    let current: unknown[] | null = null;
    let currentKey: unknown;
    for (const item of sortedBy(toList(value), key, false)) {
      const k = key(item);
      if (current && pyEquals(k, currentKey)) {
        current.push(item);
        continue;
      }
      current = [item];
      currentKey = k;
      groups.push(current);
    }
    return (groups as unknown[][]).map((list) => groupTuple(caseSensitive ? key(list[0]) : output(list[0]), list));
  }),
  batch: filter('do_batch', ['value', 'linecount', 'fill_with=None'], function (value, linecount, fillWith) {
    const size = Number(linecount);
    return generator(
      (function* () {
        let tmp: unknown[] = [];
        for (const item of pyIter(value)) {
          if (tmp.length === size) {
            yield tmp;
            tmp = [];
          }
          tmp.push(item);
        }
        if (tmp.length) {
          if (fillWith !== null && tmp.length < size) while (tmp.length < size) tmp.push(fillWith);
          yield tmp;
        }
      })(),
    );
  }),
  slice: filter('do_slice', ['value', 'slices', 'fill_with=None'], function (value, slices, fillWith) {
    const seq = toList(value);
    const n = Number(slices);
    const perSlice = Math.floor(seq.length / n);
    const withExtra = seq.length % n;
    return generator(
      (function* () {
        let offset = 0;
        for (let i = 0; i < n; i++) {
          const start = offset + i * perSlice;
          if (i < withExtra) offset++;
          const tmp = seq.slice(start, offset + (i + 1) * perSlice);
          if (fillWith !== null && i >= withExtra) tmp.push(fillWith);
          yield tmp;
        }
      })(),
    );
  }),
  attr: filter('do_attr', ['obj', 'name'], function (obj, name) {
    if (
      isDict(obj) &&
      typeof name === 'string' &&
      !['get', 'items', 'keys', 'values', 'update', 'pop', 'setdefault', 'copy', 'clear', 'popitem'].includes(name)
    ) {
      return this.undefined(name, undefined, obj);
    }
    return getAttr(this, obj, String(name));
  }),
};

function pyFunctionMap(): Filter {
  return filter('do_map', ['value', '*args', '**kwargs'], function (value, args: unknown[], kwargs: Record<string, unknown>) {
    let apply: (item: unknown) => unknown;
    if (!args.length && Object.hasOwn(kwargs, 'attribute')) {
      const { attribute, default: dflt = null, ...rest } = kwargs;
      const extra = Object.keys(rest);
      if (extra.length) throw filterArgumentError(`Unexpected keyword argument '${extra[0]}'`);
      apply = attrGetter(this, attribute, undefined, dflt);
    } else {
      if (!args.length) throw filterArgumentError('map requires a filter argument');
      const [name, ...rest] = args;
      apply = (item) => callFilter(this, name, item, rest, kwargs);
    }
    return generator(
      (function* () {
        if (!pyTruthy(value)) return;
        for (const item of pyIter(value)) yield apply(item);
      })(),
    );
  });
}

/** reversed() needs a sequence: a generator or a set is refused, as Python refuses it. */
function reversible(seq: unknown): unknown[] {
  if (typeof seq === 'string') return Array.from(seq);
  if (Array.isArray(seq) || isDict(seq)) return toList(seq);
  if (seq instanceof Undefined) return [];
  if (seq instanceof PyGenerator || seq instanceof Set) throw typeError(`'${seq instanceof Set ? 'set' : seq.label}' object is not reversible`);
  return toList(seq);
}
