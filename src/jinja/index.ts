/** The Jinja2-faithful template engine: see README.md. */
export { DBT_MACRO_TAGS, Environment, type EnvironmentOptions, type FilterFn, type MacroTagSpec, type TestFn } from './environment.js';
export { Template, type MacroInfo } from './template.js';
export type { TemplateAst } from './syntax/ast.js';
export {
  EngineSignal,
  MacroReturn,
  PyError,
  TemplateRuntimeError,
  TemplateSyntaxError,
  type TemplateFrame,
} from './errors.js';
export type { JinjaMacro } from './runtime/macro.js';
export { beforeEachCall, isPyFunction, pyFunction, type PySignatureOptions } from './runtime/py-function.js';
export { Kwargs, Markup, Namespace, isTuple, tuple } from './values/py-types.js';
export { PyFloat, pyFloat } from './values/py-float.js';
export { Undefined, isUndefined } from './values/undefined.js';
export { pyRepr, pyStr } from './values/repr.js';
export { pyEquals, pyTruthy } from './values/compare.js';
export { NO_ATTRIBUTE, NOT_IMPLEMENTED, PY_ATTR, PY_CALL, PY_REPR, type PyObject } from './values/protocol.js';
