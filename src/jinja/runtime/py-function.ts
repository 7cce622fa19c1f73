/**
 * pyFunction(signature, impl): a native with a Python signature. Templates call
 * it with positional and keyword arguments, bound as Python binds them (defaults,
 * `*args`, `**kwargs`, keyword-only after `*`), with Python's TypeError wording
 * when they do not fit. The result is also a plain JavaScript function:
 * `f(a, b, new Kwargs({x: 1}))`.
 */
import { typeError } from '../errors.js';
import { pyFloat } from '../values/py-float.js';
import { Kwargs, tuple } from '../values/py-types.js';
import { pyRepr } from '../values/repr.js';
import { unboxArgument } from './unbox.js';

export interface PySignatureOptions {
  /** The name errors use (`name() missing 1 required positional argument`); default impl.name. */
  name?: string;
  /** `'a'`, `'b=None'` (a Python literal), `'*args'`, `'*'`, `'**kwargs'`. */
  params: string[];
  /** Defaults as JavaScript values, instead of (or besides) `=literal` in params. */
  defaults?: Record<string, unknown>;
  /** Hand PyFloat, generators and views to impl as they are (the engine's own builtins). */
  raw?: boolean;
}

export interface PySignature {
  readonly name: string;
  readonly positional: string[];
  readonly keywordOnly: string[];
  readonly varargs: string | null;
  readonly varkw: string | null;
  readonly defaults: Map<string, unknown>;
  readonly raw: boolean;
}

export const PY_FUNCTION = Symbol.for('tspipe.jinja.pyFunction');

export interface PyFunctionInfo {
  readonly signature: PySignature;
  readonly impl: (...args: any[]) => unknown;
}

/** Callable like Python: any positional arguments, keyword arguments in a trailing Kwargs. */
export type PyCallable<F extends (...args: any[]) => unknown> = ((...args: any[]) => ReturnType<F>) & { readonly [PY_FUNCTION]: PyFunctionInfo };

export function pyFunction<F extends (...args: any[]) => unknown>(signature: string[] | PySignatureOptions, impl: F): PyCallable<F> {
  const options = Array.isArray(signature) ? { params: signature } : signature;
  const info: PyFunctionInfo = { signature: parseSignature(options, impl.name), impl };
  return wrap(info);
}

function wrap<F extends (...args: any[]) => unknown>(info: PyFunctionInfo): PyCallable<F> {
  const fn = function (this: unknown, ...args: unknown[]): unknown {
    const last = args[args.length - 1];
    const kwargs = last instanceof Kwargs ? (args.pop() as Record<string, unknown>) : null;
    return info.impl.apply(this, bindArguments(info.signature, args, kwargs));
  };
  Object.defineProperty(fn, PY_FUNCTION, { value: info });
  Object.defineProperty(fn, 'name', { value: info.signature.name });
  return fn as PyCallable<F>;
}

/** The same pyFunction (signature and all) with `before` called ahead of each call. */
export function beforeEachCall<F extends (...args: any[]) => unknown>(fn: PyCallable<F>, before: () => void): PyCallable<F> {
  const info = fn[PY_FUNCTION];
  return wrap({
    signature: info.signature,
    impl(this: unknown, ...args: unknown[]) {
      before();
      return info.impl.apply(this, args);
    },
  });
}

/** The same pyFunction with `this` fixed (a method taken off its object, as Python's bound methods). */
export function bindPyFunction<F extends (...args: any[]) => unknown>(fn: PyCallable<F>, self: unknown): PyCallable<F> {
  const info = fn[PY_FUNCTION];
  return wrap({ signature: info.signature, impl: info.impl.bind(self) });
}

export function isPyFunction(v: unknown): v is PyCallable<(...args: any[]) => unknown> {
  return typeof v === 'function' && PY_FUNCTION in v;
}

function parseSignature(options: PySignatureOptions, implName: string): PySignature {
  const sig = {
    name: options.name ?? (implName || 'function'),
    positional: [] as string[],
    keywordOnly: [] as string[],
    varargs: null as string | null,
    varkw: null as string | null,
    defaults: new Map<string, unknown>(Object.entries(options.defaults ?? {})),
    raw: options.raw ?? false,
  };
  let keywordOnly = false;
  for (const param of options.params) {
    if (param === '*') keywordOnly = true;
    else if (param.startsWith('**')) sig.varkw = param.slice(2);
    else if (param.startsWith('*')) {
      sig.varargs = param.slice(1);
      keywordOnly = true;
    } else {
      const eq = param.indexOf('=');
      const name = eq === -1 ? param.trim() : param.slice(0, eq).trim();
      if (eq !== -1) sig.defaults.set(name, parseLiteral(param.slice(eq + 1).trim()));
      (keywordOnly ? sig.keywordOnly : sig.positional).push(name);
    }
  }
  return sig;
}

function parseLiteral(text: string): unknown {
  if (text === 'None') return null;
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(text)) return pyFloat(Number(text));
  if (/^'.*'$|^".*"$/s.test(text)) return text.slice(1, -1);
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (text === '()') return tuple([]);
  throw new Error(`pyFunction: default ${text} is not a literal this engine reads; pass it in options.defaults`);
}

/** Python's argument binding: one value per parameter, in declaration order. */
export function bindArguments(sig: PySignature, args: unknown[], kwargs: Record<string, unknown> | null): unknown[] {
  const { positional, keywordOnly, name } = sig;
  const nPos = positional.length;
  const bound: unknown[] = new Array(nPos + keywordOnly.length);
  const given: boolean[] = new Array(bound.length).fill(false);
  const unbox = sig.raw ? (v: unknown) => v : unboxArgument;
  const n = Math.min(args.length, nPos);
  for (let i = 0; i < n; i++) {
    bound[i] = unbox(args[i]);
    given[i] = true;
  }
  let extra: unknown[] | null = null;
  if (args.length > nPos) {
    if (sig.varargs === null) throw tooManyPositional(sig, args.length);
    extra = args.slice(nPos).map(unbox);
  }
  let extraKw: Record<string, unknown> | null = null;
  if (kwargs) {
    for (const key of Object.keys(kwargs)) {
      let index = positional.indexOf(key);
      if (index === -1) {
        const k = keywordOnly.indexOf(key);
        if (k !== -1) index = nPos + k;
      }
      if (index !== -1) {
        if (given[index]) throw typeError(`${name}() got multiple values for argument '${key}'`);
        bound[index] = unbox(kwargs[key]);
        given[index] = true;
      } else if (sig.varkw !== null) {
        (extraKw ??= {})[key] = unbox(kwargs[key]);
      } else {
        throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
      }
    }
  }
  fillDefaults(sig, bound, given);
  if (sig.varargs !== null) bound.splice(nPos, 0, tuple(extra ?? []));
  if (sig.varkw !== null) bound.push(extraKw ?? {});
  return bound;
}

function fillDefaults(sig: PySignature, bound: unknown[], given: boolean[]): void {
  const missing: string[] = [];
  const missingKw: string[] = [];
  const names = [...sig.positional, ...sig.keywordOnly];
  for (let i = 0; i < names.length; i++) {
    if (given[i]) continue;
    const name = names[i]!;
    if (sig.defaults.has(name)) bound[i] = sig.defaults.get(name);
    else (i < sig.positional.length ? missing : missingKw).push(name);
  }
  if (missing.length) throw missingArguments(sig.name, missing, 'positional');
  if (missingKw.length) throw missingArguments(sig.name, missingKw, 'keyword-only');
}

function missingArguments(name: string, names: string[], kind: string): Error {
  const quoted = names.map((n) => pyRepr(n));
  const list =
    quoted.length === 1 ? quoted[0] : quoted.length === 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
  const plural = names.length === 1 ? 'argument' : 'arguments';
  return typeError(`${name}() missing ${names.length} required ${kind} ${plural}: ${list}`);
}

function tooManyPositional(sig: PySignature, given: number): Error {
  const max = sig.positional.length;
  const min = sig.positional.filter((p) => !sig.defaults.has(p)).length;
  const takes = min === max ? `${max}` : `from ${min} to ${max}`;
  const plural = max === 1 && min === max ? 'argument' : 'arguments';
  return typeError(`${sig.name}() takes ${takes} positional ${plural} but ${given} ${given === 1 ? 'was' : 'were'} given`);
}
