/**
 * The one way a template calls anything. Jinja macros bind arguments as Python
 * does; pyFunction natives bind by their signature; any other JavaScript
 * function gets the positional arguments (floats as numbers, generators as
 * arrays) plus one trailing Kwargs when there are keyword arguments, and keeps
 * its `this`. Returning undefined means None.
 */
import { typeError } from '../errors.js';
import { PY_CALL, type PyObject } from '../values/protocol.js';
import { Kwargs } from '../values/py-types.js';
import { typeName } from '../values/type-name.js';
import { Undefined } from '../values/undefined.js';
import { macroOf } from './macro.js';
import { bindArguments, PY_FUNCTION, type PyFunctionInfo } from './py-function.js';
import { unboxArgument } from './unbox.js';

export function callValue(fn: unknown, thisArg: unknown, args: unknown[], kwargs: Record<string, unknown> | null): unknown {
  if (typeof fn === 'function') {
    const macro = macroOf(fn);
    if (macro) return macro.call(args, kwargs);
    const py = (fn as { [PY_FUNCTION]?: PyFunctionInfo })[PY_FUNCTION];
    if (py) return py.impl.apply(thisArg, bindArguments(py.signature, args, kwargs));
    return callPlain(fn, thisArg, args, kwargs);
  }
  if (fn instanceof Undefined) return fn.chain();
  if (typeof fn === 'object' && fn !== null && PY_CALL in fn) return (fn as Required<PyObject>)[PY_CALL](args, kwargs);
  throw typeError(`'${typeName(fn)}' object is not callable`);
}

function callPlain(fn: Function, thisArg: unknown, args: unknown[], kwargs: Record<string, unknown> | null): unknown {
  const jsArgs = args.map(unboxArgument);
  if (kwargs) {
    const keys = Object.keys(kwargs);
    if (keys.length) {
      const kw = new Kwargs();
      for (const key of keys) kw[key] = unboxArgument(kwargs[key]);
      jsArgs.push(kw);
    }
  }
  const result = fn.apply(thisArg, jsArgs);
  return result === undefined ? null : result;
}
