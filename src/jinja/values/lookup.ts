/**
 * Looking names up on JavaScript objects the way templates see them: `name in
 * obj` so prototype chains (Object.create layering) and getters work, but never
 * Object.prototype's own members (`constructor`, `toString`...).
 */

/** A variable or property that has no value (Jinja2's `missing`). */
export const MISSING: unique symbol = Symbol('missing');

const OBJECT_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * `name in vars` / `vars[name]`, so prototype chains and getters work, but never
 * Object.prototype's own members (`constructor`, `toString`...).
 */
export function lookupName(obj: object, name: string): unknown {
  if (!(name in obj)) return MISSING;
  if (OBJECT_MEMBERS.has(name) && !hasOwnBelowObject(obj, name)) return MISSING;
  const v = (obj as Record<string, unknown>)[name];
  return v === undefined ? MISSING : v;
}

/** Whether `name` is an own property of obj or of a prototype before Object.prototype. */
function hasOwnBelowObject(obj: object, name: string): boolean {
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.hasOwn(o, name)) return true;
  }
  return false;
}

/**
 * Whether obj was made by a class (`new Adapter()`), as opposed to a plain object
 * or a chain of plain objects (`Object.create(namespace)`), which templates treat
 * like a mapping: its `_names` are items, not private attributes.
 */
export function isClassInstance(obj: object): boolean {
  for (let o = Object.getPrototypeOf(obj); o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const ctor = Object.hasOwn(o, 'constructor') ? (o as { constructor: unknown }).constructor : undefined;
    if (typeof ctor === 'function' && ctor !== Object) return true;
  }
  return false;
}
