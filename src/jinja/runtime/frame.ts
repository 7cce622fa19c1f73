/**
 * What compiled templates run in. A Frame is one call of a compiled function
 * (the template body, a macro, a call block...): its variables in slots, the
 * frame it was defined in (closures), the text it has output so far. The
 * RenderContext is shared by one render: the caller's vars, the environment's
 * globals and what the template's top level assigned.
 */
import type { Undefined } from '../values/undefined.js';

import { lookupName, MISSING } from '../values/lookup.js';

export { lookupName, MISSING };

/**
 * A variable Jinja2 resolves from the context when its frame is entered; we
 * resolve it on first read instead (same value), so a getter on the vars runs
 * only when the template uses the name.
 */
export const UNRESOLVED: unique symbol = Symbol('unresolved');

/** What compiled code needs from the Environment. */
export interface RuntimeEnvironment {
  readonly globals: Record<string, unknown>;
  readonly filters: Record<string, unknown>;
  readonly tests: Record<string, unknown>;
  /** Makes the Undefined of the environment's mode ('default' or 'chainable'). */
  undefined(name?: unknown, hint?: string, obj?: unknown, errorType?: 'UndefinedError' | 'SecurityError'): Undefined;
}

export class RenderContext {
  /** Names assigned or defined at the template's top level (Jinja2's context.vars). */
  readonly assigned: Record<string, unknown> = Object.create(null);
  /** The assigned names a module exports (not starting with `_`). */
  readonly exported = new Set<string>();

  constructor(
    readonly env: RuntimeEnvironment,
    readonly vars: object,
    readonly fileName: string,
  ) {}

  /** A name not bound in any frame: top-level assignments, then vars, then globals. */
  resolve(name: string): unknown {
    if (name in this.assigned) return this.assigned[name];
    const v = lookupName(this.vars, name);
    return v === MISSING ? lookupName(this.env.globals, name) : v;
  }

  assign(name: string, value: unknown): void {
    this.assigned[name] = value;
    if (!name.startsWith('_')) this.exported.add(name);
  }
}

export class Frame {
  readonly slots: unknown[];
  /** The text output so far by this call (swapped out while a set block or filter block captures). */
  out = '';

  constructor(
    /** The frame of the function this one was defined in. */
    readonly parent: Frame | null,
    readonly ctx: RenderContext,
    size: number,
    /** The macro running in this frame, for error locations. */
    readonly macroName: string | undefined,
  ) {
    this.slots = new Array<unknown>(size).fill(MISSING);
  }
}
