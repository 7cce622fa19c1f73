/**
 * Natives called from templates get positional arguments and, when the call had
 * keyword arguments, one trailing Kwargs. `bindArgs` lays them onto a Python-style
 * parameter list, so `adapter.dispatch('x', macro_namespace='y')` and
 * `adapter.dispatch('x', 'y')` mean the same.
 */
import { Kwargs } from '../jinja/index.js';
import { ProjectError } from '../errors.js';

export function splitKwargs(args: unknown[]): { positional: unknown[]; kwargs: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (last instanceof Kwargs) return { positional: args.slice(0, -1), kwargs: { ...last } };
  return { positional: args, kwargs: {} };
}

/** Binds positional then keyword arguments to `names`; unknown keywords are an error unless `rest`. */
export function bindArgs(what: string, names: readonly string[], args: unknown[], options: { rest?: boolean } = {}): Record<string, unknown> {
  const { positional, kwargs } = splitKwargs(args);
  if (positional.length > names.length) throw new ProjectError(`${what}() takes at most ${names.length} positional arguments (${positional.length} given)`);
  const bound: Record<string, unknown> = {};
  positional.forEach((value, index) => (bound[names[index]!] = value));
  for (const [key, value] of Object.entries(kwargs)) {
    if (!names.includes(key) && !options.rest) throw new ProjectError(`${what}() got an unexpected keyword argument '${key}'`);
    if (key in bound && names.includes(key)) throw new ProjectError(`${what}() got multiple values for argument '${key}'`);
    bound[key] = value;
  }
  return bound;
}
