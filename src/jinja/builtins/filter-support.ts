/** What several builtin filters share: attribute getters (`attribute='a.b'`), case folding, calling filters and tests by name. */
import { runtimeError } from '../errors.js';
import { getItem } from '../runtime/attribute.js';
import { callValue } from '../runtime/call.js';
import type { RuntimeEnvironment } from '../runtime/frame.js';
import { pyFunction, type PyCallable } from '../runtime/py-function.js';
import { Markup } from '../values/py-types.js';
import { pyStr } from '../values/repr.js';
import { Undefined } from '../values/undefined.js';

export type Filter = PyCallable<(...args: any[]) => unknown>;

/** A builtin filter: `this` is the environment, arguments arrive unconverted. */
export function filter(name: string, params: string[], impl: (this: RuntimeEnvironment, ...args: any[]) => unknown): Filter {
  return pyFunction({ name, params, raw: true }, impl);
}

/** markupsafe's soft_str: str() that keeps Markup as Markup text. */
export function softStr(v: unknown): string {
  return v instanceof Markup ? v.text : pyStr(v);
}

export function ignoreCase(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function attributeParts(attribute: unknown): unknown[] {
  if (attribute === null || attribute === undefined) return [];
  if (typeof attribute === 'string') return attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return [attribute];
}

/** Jinja2's make_attrgetter: item lookups along a dotted path, with an optional default for Undefined. */
export function attrGetter(
  env: RuntimeEnvironment,
  attribute: unknown,
  postprocess?: (v: unknown) => unknown,
  dflt: unknown = null,
): (item: unknown) => unknown {
  const parts = attributeParts(attribute);
  return (item) => {
    for (const part of parts) {
      item = getItem(env, item, part);
      if (dflt !== null && dflt !== undefined && item instanceof Undefined) item = dflt;
    }
    return postprocess ? postprocess(item) : item;
  };
}

/** make_multi_attrgetter: `attribute='age,name'` gives a list of keys. */
export function multiAttrGetter(env: RuntimeEnvironment, attribute: unknown, postprocess?: (v: unknown) => unknown): (item: unknown) => unknown[] {
  const split = typeof attribute === 'string' ? attribute.split(',') : [attribute];
  const getters = split.map((a) => attrGetter(env, a, postprocess));
  return (item) => getters.map((g) => g(item));
}

export function callFilter(env: RuntimeEnvironment, name: unknown, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const fn = typeof name === 'string' && Object.hasOwn(env.filters, name) ? env.filters[name] : undefined;
  if (fn === undefined) throw runtimeError(`No filter named '${pyStr(name)}'.`);
  return callValue(fn, env, [value, ...args], Object.keys(kwargs).length ? kwargs : null);
}

export function callTest(env: RuntimeEnvironment, name: unknown, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const fn = typeof name === 'string' && Object.hasOwn(env.tests, name) ? env.tests[name] : undefined;
  if (fn === undefined) throw runtimeError(`No test named '${pyStr(name)}'.`);
  return callValue(fn, env, [value, ...args], Object.keys(kwargs).length ? kwargs : null);
}
