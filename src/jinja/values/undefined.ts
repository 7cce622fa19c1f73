/**
 * jinja2.Undefined: what a missing name, attribute or item evaluates to. It prints
 * as '', is false, iterates as empty and has length 0; anything else done with it
 * raises UndefinedError with a message saying what was missing. The chainable
 * variant (dbt's parse pass) also lets attributes, items and calls through.
 */
import { PyError } from '../errors.js';
import { typeName } from './type-name.js';

/** "No object": the Undefined stands for a name, not an attribute of something. */
const NO_OBJECT = Symbol('no object');

export class Undefined {
  constructor(
    /** The name, attribute or key it stands for. */
    readonly name?: unknown,
    /** A message that replaces the generated one. */
    readonly hint?: string,
    /** The object the attribute or key was looked up on. */
    readonly obj: unknown = NO_OBJECT,
    /** 'SecurityError' when it stands for an attribute the sandbox refuses. */
    readonly errorType: 'UndefinedError' | 'SecurityError' = 'UndefinedError',
  ) {}

  /** What any failing operation reports, in Jinja2's words. */
  get message(): string {
    if (this.hint) return this.hint;
    if (this.obj === NO_OBJECT) return `${pyStrRepr(this.name)} is undefined`;
    if (typeof this.name !== 'string') return `${objectTypeRepr(this.obj)} has no element ${nameRepr(this.name)}`;
    return `${pyStrRepr(objectTypeRepr(this.obj))} has no attribute ${pyStrRepr(this.name)}`;
  }

  /** Raises the error every operation except print, test, iterate and len raises. */
  fail(): never {
    throw new PyError(this.errorType, this.message);
  }

  /** Attribute and item access: fails, except in the chainable variant. */
  chain(): Undefined {
    return this.fail();
  }

  toString(): string {
    return '';
  }
}

/** jinja2.ChainableUndefined, and calling it gives itself too (nothing fails while parsing). */
export class ChainableUndefined extends Undefined {
  override chain(): Undefined {
    return this;
  }
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}

/** Jinja2's object_type_repr: "None", "dict object", "list object", ... */
function objectTypeRepr(obj: unknown): string {
  return obj === null ? 'None' : `${typeName(obj)} object`;
}

/** repr() of the names that appear in messages (strings in quotes, numbers bare). */
function nameRepr(name: unknown): string {
  if (typeof name === 'string') return pyStrRepr(name);
  if (name === undefined || name === null) return 'None';
  if (typeof name === 'boolean') return name ? 'True' : 'False';
  return String(name);
}

function pyStrRepr(s: unknown): string {
  if (typeof s !== 'string') return nameRepr(s);
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
