/**
 * What the compiler passes around: compile-time frames (Jinja2's Frame: symbols
 * plus whether we are at the top level or in an if), variable
 * access closures, and the wrappers that give errors their template location.
 */
import { isPassThrough, locateError, TemplateRuntimeError } from '../errors.js';
import { type Frame, MISSING, UNRESOLVED, type RuntimeEnvironment } from '../runtime/frame.js';
import { FunctionScope, Symbols, type Variable } from './symbols.js';

/** A compiled expression. */
export type Ev = (f: Frame) => unknown;
/** A compiled statement: returns 0, or BREAK/CONTINUE for the enclosing loop. */
export type Ex = (f: Frame) => number;
export const BREAK = 1;
export const CONTINUE = 2;

export interface CompileContext {
  readonly env: RuntimeEnvironment;
  readonly fileName: string;
}

export interface CFrame {
  readonly symbols: Symbols;
  /** The function whose frame holds this frame's variables. */
  readonly fn: FunctionScope;
  /** The template body (or an if at its level): assignments are exported. */
  readonly toplevel: boolean;
  /** In an if or conditional expression: an unknown filter fails when run, not when compiled. */
  readonly softFrame: boolean;
}

export function rootFrame(): CFrame {
  const fn = new FunctionScope(null);
  return { symbols: new Symbols(null, fn), fn, toplevel: true, softFrame: false };
}

/** A nested frame; in a new function when `fn` is given (macro, call block, recursive loop). */
export function innerFrame(parent: CFrame, fn: FunctionScope = parent.fn): CFrame {
  return { symbols: new Symbols(parent.symbols, fn), fn, toplevel: false, softFrame: false };
}

export function softFrame(frame: CFrame): CFrame {
  return { ...frame, symbols: frame.symbols.copy(), softFrame: true };
}

let temporaries = 0;

/** A hidden variable of the frame's function (a call block's caller, a captured body): reentrant, unlike a closure variable. */
export function temporary(frame: CFrame): { read: (f: Frame) => unknown; write: (f: Frame, value: unknown) => void } {
  const v = frame.fn.variable(-1, `#${temporaries++}`);
  return { read: readVariable(v, frame.fn), write: writeVariable(v, frame.fn) };
}

function hops(from: FunctionScope, to: FunctionScope): number {
  let n = 0;
  for (let fn: FunctionScope | null = from; fn !== to; fn = fn.parent) {
    if (!fn) throw new Error('internal: variable of a function that does not enclose this one');
    n++;
  }
  return n;
}

export function readVariable(v: Variable, from: FunctionScope): (f: Frame) => unknown {
  const slot = v.slot;
  switch (hops(from, v.fn)) {
    case 0:
      return (f) => f.slots[slot];
    case 1:
      return (f) => f.parent!.slots[slot];
    case 2:
      return (f) => f.parent!.parent!.slots[slot];
    default: {
      const n = hops(from, v.fn);
      return (f) => {
        let frame = f;
        for (let i = 0; i < n; i++) frame = frame.parent!;
        return frame.slots[slot];
      };
    }
  }
}

/** Reads a variable by name: resolved from the context on first read when the frame left it so. */
export function readName(v: Variable, from: FunctionScope, name: string): (f: Frame) => unknown {
  const read = readVariable(v, from);
  const write = writeVariable(v, from);
  return (f) => {
    const x = read(f);
    if (x !== UNRESOLVED) return x;
    const resolved = f.ctx.resolve(name);
    write(f, resolved);
    return resolved;
  };
}

export function writeVariable(v: Variable, from: FunctionScope): (f: Frame, value: unknown) => void {
  const slot = v.slot;
  const n = hops(from, v.fn);
  if (n === 0) return (f, value) => void (f.slots[slot] = value);
  return (f, value) => {
    let frame = f;
    for (let i = 0; i < n; i++) frame = frame.parent!;
    frame.slots[slot] = value;
  };
}

/** Jinja2's enter_frame: sets each variable of the frame to how it starts (context, outer copy, unset). */
export function enterFrame(frame: CFrame): (f: Frame) => void {
  const steps: ((f: Frame) => void)[] = [];
  for (const [v, load] of frame.symbols.loads) {
    if (load.kind === 'param') continue;
    const write = writeVariable(v, frame.fn);
    if (load.kind === 'resolve') {
      steps.push((f) => write(f, UNRESOLVED));
    } else if (load.kind === 'alias') {
      const read = readVariable(load.source, frame.fn);
      steps.push((f) => write(f, read(f)));
    } else {
      steps.push((f) => write(f, MISSING));
    }
  }
  if (steps.length === 0) return () => {};
  return (f) => {
    for (const step of steps) step(f);
  };
}

/** Errors thrown while evaluating `ev` are located at `line` (unless already located deeper). */
export function located(c: CompileContext, ev: Ev, line: number): Ev {
  return (f) => {
    try {
      return ev(f);
    } catch (e) {
      throw relocate(c, e, line, f);
    }
  };
}

/** What to rethrow for an error raised at `line`: located there, unless it already is (or must pass). */
export function relocate(c: CompileContext, e: unknown, line: number, f: Frame): unknown {
  if (e instanceof TemplateRuntimeError || isPassThrough(e)) return e;
  return locateError(e, { fileName: c.fileName, line, macro: f.macroName });
}

/** For a call's invocation: an error from the callee gets this call site as its next frame. */
export function callSiteError(e: unknown, fileName: string, line: number, f: Frame): unknown {
  if (isPassThrough(e)) return e;
  const frame = { fileName, line, macro: f.macroName };
  if (e instanceof TemplateRuntimeError) {
    e.addCaller(frame);
    return e;
  }
  return locateError(e, frame);
}
