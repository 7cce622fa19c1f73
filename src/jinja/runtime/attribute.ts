/**
 * `x.name`, `x[key]`, `x[a:b:c]` and `x.name(...)` as Jinja2's sandbox does them.
 * `.name` tries the attribute (a Python method of str/list/dict/set, a property
 * of an object) and then the item; `[key]` tries the item and then the
 * attribute. What is not found is Undefined; attributes starting with `_` and
 * JavaScript internals (constructor, prototype...) of objects are refused with
 * an Undefined that raises SecurityError when used.
 */
import { LIST_METHODS, DICT_METHODS, SET_METHODS, TUPLE_METHODS } from '../builtins/collection-methods.js';
import { STR_METHODS } from '../builtins/str-methods.js';
import { strFormat } from '../builtins/str-format.js';
import { typeError, valueError } from '../errors.js';
import { dictKey } from '../values/dict-key.js';
import { NO_ATTRIBUTE, PY_ATTR, type PyObject } from '../values/protocol.js';
import { isNumeric, num } from '../values/py-float.js';
import { isDict, isTuple, Markup, Namespace, PyRange, tuple } from '../values/py-types.js';
import { typeName } from '../values/type-name.js';
import { Undefined } from '../values/undefined.js';
import { callValue } from './call.js';
import type { RuntimeEnvironment } from './frame.js';
import { isClassInstance, lookupName, MISSING } from '../values/lookup.js';
import { macroOf } from './macro.js';
import { bindPyFunction, isPyFunction, pyFunction } from './py-function.js';

const UNSAFE_JS = new Set(['constructor', 'prototype', 'caller', 'callee', 'arguments']);

export function getAttr(env: RuntimeEnvironment, obj: unknown, name: string): unknown {
  const v = lookupAttr(env, obj, name, true);
  return v === NO_ATTRIBUTE ? env.undefined(name, undefined, obj) : v;
}

export function getItem(env: RuntimeEnvironment, obj: unknown, key: unknown): unknown {
  const v = lookupItem(env, obj, key);
  return v === NO_ATTRIBUTE ? env.undefined(key, undefined, obj) : v;
}

/** `obj.name(args)`: Python methods are called on their receiver without making a bound method. */
export function callMethod(env: RuntimeEnvironment, obj: unknown, name: string, args: unknown[], kwargs: Record<string, unknown> | null): unknown {
  if (obj instanceof Markup) return callMethod(env, obj.text, name, args, kwargs);
  let fn: unknown;
  if (typeof obj === 'string') {
    fn = STR_METHODS[name] ?? (name === 'format' || name === 'format_map' ? formatMethod(env, obj, name) : undefined);
  } else if (Array.isArray(obj)) {
    fn = (isTuple(obj) ? TUPLE_METHODS : LIST_METHODS)[name];
  } else if (obj instanceof Set) {
    fn = SET_METHODS[name];
  } else if (isDict(obj)) {
    const own = Object.hasOwn(obj, name) ? obj[name] : undefined;
    fn = typeof own === 'function' ? own : DICT_METHODS[name];
  }
  if (fn === undefined) {
    fn = lookupAttr(env, obj, name, false);
    if (fn === NO_ATTRIBUTE) fn = env.undefined(name, undefined, obj);
  }
  return callValue(fn, obj, args, kwargs);
}

function lookupAttr(env: RuntimeEnvironment, obj: unknown, name: string, bind: boolean): unknown {
  // Every Python object has dunder attributes (__class__...): the sandbox refuses them (a dict's own keys stay items).
  if (name.length > 4 && name.startsWith('__') && name.endsWith('__') && !(obj instanceof Undefined) && !(isDict(obj) && Object.hasOwn(obj, name))) {
    return unsafe(env, obj, name);
  }
  switch (typeof obj) {
    case 'string': {
      const m = STR_METHODS[name];
      if (m) return bind ? bindPyFunction(m, obj) : m;
      return name === 'format' || name === 'format_map' ? formatMethod(env, obj, name) : NO_ATTRIBUTE;
    }
    case 'function':
      return functionAttr(env, obj, name);
    case 'object':
      break;
    default:
      return NO_ATTRIBUTE;
  }
  if (obj === null) return NO_ATTRIBUTE;
  if (obj instanceof Undefined) return obj.chain();
  if (Array.isArray(obj)) {
    const own = PY_ATTR in obj ? (obj as unknown as Required<PyObject>)[PY_ATTR](name) : NO_ATTRIBUTE;
    return own !== NO_ATTRIBUTE ? own : method((isTuple(obj) ? TUPLE_METHODS : LIST_METHODS)[name], obj, bind);
  }
  if (isDict(obj)) {
    if (Object.hasOwn(obj, name)) {
      const own = obj[name];
      if (typeof own === 'function') return bind ? bindThis(own, obj) : own;
      return DICT_METHODS[name] ? method(DICT_METHODS[name], obj, bind) : own;
    }
    return method(DICT_METHODS[name], obj, bind);
  }
  if (obj instanceof Set) return method(SET_METHODS[name], obj, bind);
  if (PY_ATTR in obj) return safe(env, obj, name, (obj as Required<PyObject>)[PY_ATTR](name));
  if (obj instanceof Namespace) return safe(env, obj, name, Object.hasOwn(obj.attrs, name) ? obj.attrs[name] : NO_ATTRIBUTE);
  if (obj instanceof PyRange) return rangeAttr(obj, name);
  if (obj instanceof Markup) return lookupAttr(env, obj.text, name, bind);
  return objectAttr(env, obj, name, bind);
}

function method(m: ReturnType<typeof pyFunction> | undefined, self: unknown, bind: boolean): unknown {
  if (!m) return NO_ATTRIBUTE;
  return bind ? bindPyFunction(m, self) : m;
}

/** The sandbox's is_safe_attribute: a found attribute starting with `_` is refused. */
function safe(env: RuntimeEnvironment, obj: unknown, name: string, value: unknown): unknown {
  if (value === NO_ATTRIBUTE || !(name.startsWith('_') || UNSAFE_JS.has(name))) return value;
  return unsafe(env, obj, name);
}

function unsafe(env: RuntimeEnvironment, obj: unknown, name: string): Undefined {
  const hint = `access to attribute '${name}' of '${typeName(obj)}' object is unsafe.`;
  return env.undefined(name, hint, obj, 'SecurityError');
}

function objectAttr(env: RuntimeEnvironment, obj: object, name: string, bind: boolean): unknown {
  if (UNSAFE_JS.has(name) || (name.startsWith('_') && isClassInstance(obj))) return name in obj ? unsafe(env, obj, name) : NO_ATTRIBUTE;
  const v = lookupName(obj, name);
  if (v === MISSING) return NO_ATTRIBUTE;
  return bind && typeof v === 'function' ? bindThis(v, obj) : v;
}

/** Macros expose Jinja2's Macro attributes; other functions their own properties. */
function functionAttr(env: RuntimeEnvironment, fn: Function, name: string): unknown {
  const macro = macroOf(fn);
  if (macro) {
    const d = macro.def;
    switch (name) {
      case 'name':
        return d.name;
      case 'arguments':
        return tuple([...d.argNames]);
      case 'catch_kwargs':
        return d.catchKwargs;
      case 'catch_varargs':
        return d.catchVarargs;
      case 'caller':
        return d.accessesCaller;
      default:
        return NO_ATTRIBUTE;
    }
  }
  if (name.startsWith('_') || UNSAFE_JS.has(name)) return Object.hasOwn(fn, name) ? unsafe(env, fn, name) : NO_ATTRIBUTE;
  if (name === 'name' || name === 'length' || !Object.hasOwn(fn, name)) return NO_ATTRIBUTE;
  const v = (fn as unknown as Record<string, unknown>)[name];
  return typeof v === 'function' ? bindThis(v, fn) : v;
}

function rangeAttr(r: PyRange, name: string): unknown {
  if (name === 'start' || name === 'stop' || name === 'step') return r[name];
  return NO_ATTRIBUTE;
}

/** A method taken off its object keeps its `this`, as Python's bound methods do. */
function bindThis(fn: Function, self: unknown): unknown {
  if (macroOf(fn)) return fn;
  if (isPyFunction(fn)) return bindPyFunction(fn, self);
  const bound = fn.bind(self);
  for (const key of Object.keys(fn)) (bound as unknown as Record<string, unknown>)[key] = (fn as unknown as Record<string, unknown>)[key];
  return bound;
}

function formatMethod(env: RuntimeEnvironment, s: string, name: string): unknown {
  const lookup = (o: unknown, k: string | number, isAttribute: boolean) => (isAttribute ? getAttr(env, o, k as string) : getItem(env, o, k));
  if (name === 'format') {
    return pyFunction({ name, params: ['*args', '**kwargs'], raw: true }, (args: unknown[], kwargs: Record<string, unknown>) =>
      strFormat(s, args, kwargs, lookup),
    );
  }
  return pyFunction({ name, params: ['mapping'], raw: true }, (mapping: Record<string, unknown>) => strFormat(s, [], mapping, lookup));
}

function lookupItem(env: RuntimeEnvironment, obj: unknown, key: unknown): unknown {
  if (obj instanceof Undefined) return obj.chain();
  if (Array.isArray(obj) || typeof obj === 'string' || obj instanceof Markup) {
    const seq = obj instanceof Markup ? obj.text : obj;
    if (isIndex(key)) {
      let i = num(key as number);
      if (i < 0) i += seq.length;
      return i >= 0 && i < seq.length ? seq[i] : NO_ATTRIBUTE;
    }
    return typeof key === 'string' ? lookupAttr(env, obj, key, true) : NO_ATTRIBUTE;
  }
  if (isDict(obj)) {
    let k: string;
    try {
      k = dictKey(key);
    } catch {
      return NO_ATTRIBUTE;
    }
    if (Object.hasOwn(obj, k)) return obj[k];
    return typeof key === 'string' ? lookupAttr(env, obj, key, true) : NO_ATTRIBUTE;
  }
  if (obj instanceof PyRange && isIndex(key)) {
    let i = num(key as number);
    if (i < 0) i += obj.length;
    return i >= 0 && i < obj.length ? obj.at(i) : NO_ATTRIBUTE;
  }
  return typeof key === 'string' ? lookupAttr(env, obj, key, true) : NO_ATTRIBUTE;
}

function isIndex(key: unknown): boolean {
  return typeof key === 'boolean' || (typeof key === 'number' && Number.isInteger(key));
}

/** `obj[start:stop:step]` with Python's rules for negative and out-of-range bounds. */
export function getSlice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (obj instanceof Undefined) return obj.chain();
  const seq = typeof obj === 'string' ? Array.from(obj) : obj instanceof Markup ? Array.from(obj.text) : obj;
  const items = obj instanceof PyRange ? [...obj] : seq;
  if (!Array.isArray(items)) {
    throw typeError(isDict(obj) ? "unhashable type: 'slice'" : `'${typeName(obj)}' object is not subscriptable`);
  }
  const picked = sliceIndices(items.length, start, stop, step).map((i) => items[i]);
  if (typeof obj === 'string') return picked.join('');
  if (obj instanceof Markup) return new Markup(picked.join(''));
  return isTuple(obj) ? tuple(picked) : picked;
}

function sliceIndices(length: number, start: unknown, stop: unknown, step: unknown): number[] {
  const s = sliceInt(step) ?? 1;
  if (s === 0) throw valueError('slice step cannot be zero');
  const clamp = (v: number | null, dflt: number) => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(v + length, s < 0 ? -1 : 0);
    return Math.min(v, s < 0 ? length - 1 : length);
  };
  const a = clamp(sliceInt(start), s < 0 ? length - 1 : 0);
  const b = clamp(sliceInt(stop), s < 0 ? -1 : length);
  const out: number[] = [];
  for (let i = a; s > 0 ? i < b : i > b; i += s) out.push(i);
  return out;
}

function sliceInt(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (isNumeric(v) && Number.isInteger(num(v)) && typeof v !== 'object') return num(v);
  throw typeError('slice indices must be integers or None or have an __index__ method');
}
