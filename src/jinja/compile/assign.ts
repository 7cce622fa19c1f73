/**
 * Assignment targets: a name, `ns.attr` (only on a namespace()), or a tuple
 * of targets unpacked as Python unpacks (`for k, v in d.items()`). At the
 * template's top level an assigned name is also exported (Jinja2's context.vars).
 */
import { runtimeError, typeError, valueError } from '../errors.js';
import { MISSING, type Frame } from '../runtime/frame.js';
import type { Expr } from '../syntax/ast.js';
import { toList } from '../values/iterate.js';
import { dictSet, isDict, Namespace } from '../values/py-types.js';
import { typeName } from '../values/type-name.js';
import { readName, writeVariable, type CFrame } from './context.js';

export type Assign = (f: Frame, value: unknown) => void;

export function compileAssign(target: Expr, frame: CFrame, exportTopLevel: boolean): Assign {
  switch (target.kind) {
    case 'name': {
      const write = writeVariable(frame.symbols.ref(target.name), frame.fn);
      const name = target.name;
      if (!exportTopLevel) return write;
      return (f, value) => {
        write(f, value);
        f.ctx.assign(name, value);
      };
    }
    case 'nsref': {
      const read = readName(frame.symbols.ref(target.name), frame.fn, target.name);
      const attr = target.attr;
      return (f, value) => setAttribute(read(f), attr, value);
    }
    case 'tuple': {
      const parts = target.items.map((item) => compileAssign(item, frame, exportTopLevel));
      return (f, value) => {
        const items = toList(value);
        if (items.length < parts.length) {
          throw valueError(`not enough values to unpack (expected ${parts.length}, got ${items.length})`);
        }
        if (items.length > parts.length) throw valueError(`too many values to unpack (expected ${parts.length})`);
        parts.forEach((assign, i) => assign(f, items[i]));
      };
    }
    default:
      throw new Error(`internal: cannot assign to ${target.kind}`);
  }
}

/** `ns.attr = value` runs Python's `ns['attr'] = value`: a namespace or a dict takes it. */
function setAttribute(target: unknown, attr: string, value: unknown): void {
  if (target instanceof Namespace) target.attrs[attr] = value;
  else if (isDict(target)) dictSet(target, attr, value);
  else throw typeError(`'${typeName(target)}' object does not support item assignment`);
}

/** Jinja2 checks every `ns.attr` target is a namespace() before evaluating the value. */
export function compileNamespaceChecks(target: Expr, frame: CFrame): ((f: Frame) => void) | null {
  const names = new Set<string>();
  const collect = (t: Expr) => {
    if (t.kind === 'nsref') names.add(t.name);
    else if (t.kind === 'tuple') t.items.forEach(collect);
  };
  collect(target);
  if (!names.size) return null;
  const reads = [...names].map((name) => readName(frame.symbols.ref(name), frame.fn, name));
  return (f) => {
    for (const read of reads) {
      const ns = read(f);
      if (ns === MISSING || !(ns instanceof Namespace)) throw runtimeError('cannot assign attribute on non-namespace object');
    }
  };
}
