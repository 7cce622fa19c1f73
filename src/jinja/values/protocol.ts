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

/** Python's NotImplemented: what an operator method returns for an operand it does not take. */
export const NOT_IMPLEMENTED: unique symbol = Symbol.for('tspipe.jinja.NotImplemented') as never;

/**
 * Python's operator methods on host classes (`__add__`/`__radd__`, `__lt__`, `__eq__`...):
 * `a.__op__(b)`, then `b.__rop__(a)`; NOT_IMPLEMENTED when neither operand takes the other.
 * Only instances of classes answer: a dict whose key is `__add__` stays a dict.
 */
export function callOperatorMethods(method: string, reflected: string | undefined, a: unknown, b: unknown): unknown {
  const forward = operatorMethod(a, method);
  if (forward) {
    const result = forward.call(a, b);
    if (result !== NOT_IMPLEMENTED) return result;
  }
  const backward = reflected ? operatorMethod(b, reflected) : undefined;
  if (backward) {
    const result = backward.call(b, a);
    if (result !== NOT_IMPLEMENTED) return result;
  }
  return NOT_IMPLEMENTED;
}

export function operatorMethod(x: unknown, name: string): ((other?: unknown) => unknown) | undefined {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return undefined;
  const proto = Object.getPrototypeOf(x);
  if (proto === null || proto === Object.prototype) return undefined;
  const method = (x as Record<string, unknown>)[name];
  return typeof method === 'function' ? (method as (other?: unknown) => unknown) : undefined;
}
