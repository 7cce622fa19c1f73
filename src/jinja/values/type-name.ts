/** Python's type(v).__name__ for the values the engine handles, as messages quote it. */
import { PyFloat } from './py-float.js';
import { DictView, isDict, isTuple, Markup, PyGenerator, PyRange } from './py-types.js';
import { Undefined } from './undefined.js';

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'string':
      return 'str';
    case 'function':
      return isMacroFunction(v) ? 'Macro' : 'function';
    case 'object':
      break;
    default:
      return typeof v;
  }
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (v instanceof PyFloat) return 'float';
  if (v instanceof Set) return 'set';
  if (isDict(v)) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PyGenerator) return v.label;
  if (v instanceof DictView) return v.kind;
  if (v instanceof Markup) return 'Markup';
  if (v instanceof Undefined) return 'Undefined';
  const ctor = Object.getPrototypeOf(v)?.constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'object';
}

/** Set on the functions that are Jinja macros (see runtime/macro.ts). */
export const MACRO = Symbol.for('tspipe.jinja.macro');

function isMacroFunction(v: object): boolean {
  return MACRO in v;
}
