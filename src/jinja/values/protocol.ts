/**
 * How the engine's own runtime objects (loop, cycler, joiner, namespace...) take
 * part in Python operations without the engine knowing each class.
 */

/** `[PY_REPR](): string` — what str()/repr() print. */
export const PY_REPR = Symbol.for('tspipe.jinja.repr');

/** `[PY_ATTR](name): unknown` — attribute lookup; returns NO_ATTRIBUTE when there is none. */
export const PY_ATTR = Symbol.for('tspipe.jinja.attr');

/** `[PY_CALL](args, kwargs): unknown` — what calling the object does. */
export const PY_CALL = Symbol.for('tspipe.jinja.call');

export const NO_ATTRIBUTE: unique symbol = Symbol('no attribute');

export interface PyObject {
  [PY_ATTR]?(name: string): unknown;
  [PY_CALL]?(args: unknown[], kwargs: Record<string, unknown> | null): unknown;
  [PY_REPR]?(): string;
}
