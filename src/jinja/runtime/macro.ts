/**
 * Jinja macros at run time. A macro is a JavaScript function (callable from
 * TypeScript as `m(a, b, new Kwargs({x: 1}))`) that binds its arguments as
 * jinja2.runtime.Macro does: positionals, then keywords by name, defaults
 * evaluated at call time, and the `caller`, `kwargs` and `varargs` it reads.
 */
import { MacroReturn, typeError } from '../errors.js';
import { Kwargs, tuple } from '../values/py-types.js';
import { MACRO } from '../values/type-name.js';
import { Frame, MISSING } from './frame.js';

/** What the compiler makes of a `{% macro %}` (or a call block's body). */
export interface MacroDefinition {
  readonly name: string;
  readonly argNames: string[];
  /** Slot of each parameter: the arguments, then caller, kwargs, varargs when read. */
  readonly paramSlots: number[];
  /** Per argument, how to compute its default in the macro's frame (null: none). */
  readonly defaults: (((f: Frame) => unknown) | null)[];
  readonly catchKwargs: boolean;
  readonly catchVarargs: boolean;
  readonly accessesCaller: boolean;
  readonly explicitCaller: boolean;
  /** A call block's body: a dbt return() inside it ends the macro that called caller(), not it. */
  readonly isCaller: boolean;
  readonly frameSize: number;
  /** Initialises the frame's other variables (Jinja2's enter_frame). */
  readonly enter: (f: Frame) => void;
  readonly body: (f: Frame) => number;
}

export interface JinjaMacro {
  (...args: unknown[]): unknown;
  readonly macroName: string;
  readonly [MACRO]: BoundMacro;
}

export class BoundMacro {
  constructor(
    readonly def: MacroDefinition,
    /** The frame the macro was defined in: what its body sees besides the context. */
    readonly closure: Frame,
    /** For error frames; a call block's body reports the macro it was written in. */
    readonly frameName: string | undefined,
  ) {}

  call(args: unknown[], kwargs: Record<string, unknown> | null): unknown {
    return this.run(this.bind(args, kwargs));
  }

  private bind(args: unknown[], kwargs: Record<string, unknown> | null): unknown[] {
    const d = this.def;
    const argc = d.argNames.length;
    const values = args.slice(0, argc);
    const kw: Record<string, unknown> = kwargs ? { ...kwargs } : {};
    let foundCaller = d.explicitCaller;
    if (values.length !== argc) {
      foundCaller = false;
      for (const name of d.argNames.slice(values.length)) {
        if (Object.hasOwn(kw, name)) {
          values.push(kw[name]);
          delete kw[name];
        } else {
          values.push(MISSING);
        }
        if (name === 'caller') foundCaller = true;
      }
    }
    if (d.accessesCaller && !foundCaller) {
      const caller = kw.caller;
      delete kw.caller;
      values.push(caller ?? this.closure.ctx.env.undefined('caller', 'No caller defined'));
    }
    if (d.catchKwargs) {
      values.push(kw);
    } else {
      const extra = Object.keys(kw);
      if (extra.length) {
        if (extra.includes('caller')) {
          throw typeError(`macro '${d.name}' was invoked with two values for the special caller argument. This is most likely a bug.`);
        }
        throw typeError(`macro '${d.name}' takes no keyword argument '${extra[0]}'`);
      }
    }
    if (d.catchVarargs) values.push(tuple(args.slice(argc)));
    else if (args.length > argc) throw typeError(`macro '${d.name}' takes not more than ${argc} argument(s)`);
    return values;
  }

  private run(values: unknown[]): unknown {
    const d = this.def;
    const env = this.closure.ctx.env;
    const f = new Frame(this.closure, this.closure.ctx, d.frameSize, this.frameName);
    for (let i = 0; i < values.length; i++) f.slots[d.paramSlots[i]!] = values[i];
    d.enter(f);
    for (let i = 0; i < d.argNames.length; i++) {
      const slot = d.paramSlots[i]!;
      if (f.slots[slot] !== MISSING) continue;
      const dflt = d.defaults[i];
      const name = d.argNames[i]!;
      f.slots[slot] = dflt ? dflt(f) : env.undefined(name, `parameter '${name}' was not provided`);
    }
    try {
      d.body(f);
    } catch (e) {
      if (e instanceof MacroReturn && !d.isCaller) return e.value;
      throw e;
    }
    return f.out;
  }
}

/** The callable for a macro defined in `closure`. */
export function makeMacro(def: MacroDefinition, closure: Frame): JinjaMacro {
  const bound = new BoundMacro(def, closure, def.isCaller ? closure.macroName : def.name);
  const fn = function (...args: unknown[]): unknown {
    const last = args[args.length - 1];
    const kwargs = last instanceof Kwargs ? (args.pop() as Record<string, unknown>) : null;
    return bound.call(args, kwargs);
  };
  Object.defineProperty(fn, MACRO, { value: bound });
  Object.defineProperty(fn, 'macroName', { value: def.name });
  Object.defineProperty(fn, 'name', { value: def.name });
  return fn as unknown as JinjaMacro;
}

export function macroOf(v: unknown): BoundMacro | undefined {
  return typeof v === 'function' ? (v as Partial<JinjaMacro>)[MACRO] : undefined;
}
