/**
 * The errors the engine raises. Syntax errors carry the template's file and line;
 * everything that fails while rendering reaches the caller as one
 * TemplateRuntimeError whose `frames` say where, from the failing line out to the
 * template that was rendered. EngineSignal and MacroReturn are control flow of the
 * embedding program, not errors: the engine lets them pass untouched.
 */

/** One function on the template call stack: the line it was running when the error passed. */
export interface TemplateFrame {
  fileName: string;
  line: number;
  /** The macro whose body holds that line; absent at a template's top level. */
  macro?: string;
}

export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
  constructor(
    message: string,
    readonly fileName: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Thrown by the embedding program's natives to suspend or redirect a render (e.g.
 * "this template needs a database result first"). Subclass it; the engine never
 * wraps, locates or swallows one.
 */
export class EngineSignal extends Error {}

/**
 * dbt's `return(value)`: a native throws it and the innermost macro call that is
 * running ends at once, evaluating to `value`. Its callers carry on.
 */
export class MacroReturn extends Error {
  constructor(readonly value: unknown) {
    super('return() was called outside of a macro');
  }
}

/**
 * An error raised while evaluating, named like the Python exception Jinja2 would
 * raise (TypeError, UndefinedError, SecurityError...), with Python's wording.
 */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

export const typeError = (message: string) => new PyError('TypeError', message);
export const valueError = (message: string) => new PyError('ValueError', message);
export const indexError = (message: string) => new PyError('IndexError', message);
export const keyError = (message: string) => new PyError('KeyError', message);
export const zeroDivisionError = (message: string) => new PyError('ZeroDivisionError', message);
export const overflowError = (message: string) => new PyError('OverflowError', message);
/** Jinja2's own TemplateRuntimeError (e.g. "cannot assign attribute on non-namespace object"). */
export const runtimeError = (message: string) => new PyError('TemplateRuntimeError', message);
export const filterArgumentError = (message: string) => new PyError('FilterArgumentError', message);

/** A failure while rendering, located in the templates; `cause` is what was thrown. */
export class TemplateRuntimeError extends Error {
  override readonly name = 'TemplateRuntimeError';
  /**
   * Innermost first: where it failed, then each call site out to the rendered
   * template. (Named `frames`: `stack` is JavaScript's string, which here lists them.)
   */
  readonly frames: TemplateFrame[];
  /** The Python exception Jinja2 would raise here (TypeError, UndefinedError, ...), or 'Error' for a native's own error. */
  readonly pyType: string;

  constructor(message: string, frames: TemplateFrame[], cause: unknown, pyType: string) {
    super(message, { cause });
    this.frames = frames;
    this.pyType = pyType;
    // Where it happened in the templates says more than the engine's own call stack (the cause keeps that).
    Object.defineProperty(this, 'stack', { get: () => `${this.name}: ${this.describe()}`, configurable: true });
  }

  get fileName(): string {
    return this.frames[0]!.fileName;
  }

  get line(): number {
    return this.frames[0]!.line;
  }

  /** Adds the next frame outward (the call site that led to the current outermost frame). */
  addCaller(frame: TemplateFrame): void {
    this.frames.push(frame);
  }

  /** Multi-line description: the message, then `  at file:line (macro name)` per frame. */
  describe(): string {
    const lines = this.frames.map((f) => `  at ${f.fileName}:${f.line}${f.macro ? ` (macro ${f.macro})` : ''}`);
    return [this.message, ...lines].join('\n');
  }
}

/** Wraps what a template operation threw; EngineSignal and MacroReturn are never passed here. */
export function locateError(error: unknown, frame: TemplateFrame): TemplateRuntimeError {
  if (error instanceof TemplateRuntimeError) return error;
  const own = ownLocation(error);
  const frames = own ? [own, frame] : [frame];
  if (error instanceof PyError) return new TemplateRuntimeError(error.message, frames, error, error.pyType);
  const message = error instanceof Error ? error.message : String(error);
  return new TemplateRuntimeError(message, frames, error, 'Error');
}

/** A native's error may say where it happened itself (`fileName`/`line`, or tspipe's `location`). */
function ownLocation(error: unknown): TemplateFrame | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { fileName?: unknown; line?: unknown; location?: { file?: unknown; line?: unknown } };
  if (typeof e.fileName === 'string' && typeof e.line === 'number') return { fileName: e.fileName, line: e.line };
  const loc = e.location;
  if (loc && typeof loc.file === 'string' && typeof loc.line === 'number') return { fileName: loc.file, line: loc.line };
  return undefined;
}

/** Errors that must cross the engine untouched. */
export function isPassThrough(error: unknown): boolean {
  return error instanceof EngineSignal || error instanceof MacroReturn;
}
