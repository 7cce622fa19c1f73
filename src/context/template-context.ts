/**
 * The names a template sees while one node renders, in dbt's order: the node's own
 * package's macros, the root project's, package namespaces (`dbt_utils.star`, `dbt.x`),
 * the global project's macros, then the node's values (ref, source, config, this, ...)
 * and the project's builtins. Macros come first, so a project macro named `ref`
 * overrides ref() as in dbt (`builtins.ref` is the original). A Proxy resolves each name
 * on use: nothing is prepared per node but what the render touches.
 */
import { INTERNAL_PACKAGE, type MacroDefinition, type MacroRegistry, type RenderMode } from './macro-registry.js';

export interface NodeScope {
  /** dbt's "search package": the package whose macros are local to this render. */
  packageName: string;
  mode: RenderMode;
  /** Names of this node's render (ref, source, config, this, model, adapter...); getters allowed. */
  values: object;
  /** Names that win over macros too (a unit test's macro overrides). */
  overrides?: Record<string, unknown>;
}

const MISSING = Symbol('missing');

export type TemplateContext = Record<string, unknown>;

export function templateContext(registry: MacroRegistry, builtins: object, scope: NodeScope): TemplateContext {
  const bound = new Map<MacroDefinition, unknown>();
  const namespaces = new Map<string, object>();
  let context: TemplateContext;
  const bind = (definition: MacroDefinition) => {
    let macro = bound.get(definition);
    if (macro === undefined) {
      macro = registry.templateOf(definition, scope.mode).macro(definition.name, context);
      bound.set(definition, macro);
    }
    return macro;
  };
  const namespace = (packageName: string) => {
    let found = namespaces.get(packageName);
    if (!found) {
      const overridden = (name: string) =>
        scope.overrides && Object.hasOwn(scope.overrides, `${packageName}.${name}`) ? scope.overrides[`${packageName}.${name}`] : MISSING;
      found = packageNamespace((name) => registry.fromPackage(packageName, name), bind, overridden);
      namespaces.set(packageName, found);
    }
    return found;
  };
  const local = scope.packageName === INTERNAL_PACKAGE ? undefined : registry.packages.get(scope.packageName);
  const root = registry.packages.get(registry.rootPackage);
  const resolve = (name: string): unknown => {
    if (scope.overrides && Object.hasOwn(scope.overrides, name)) return scope.overrides[name];
    const macro = local?.get(name) ?? root?.get(name);
    if (macro) return bind(macro);
    if (registry.packages.has(name) || name === INTERNAL_PACKAGE) return namespace(name);
    const internal = registry.internal.get(name);
    if (internal) return bind(internal);
    if (name in scope.values) return (scope.values as Record<string, unknown>)[name];
    if (name in builtins) return (builtins as Record<string, unknown>)[name];
    return MISSING;
  };
  context = new Proxy({} as TemplateContext, {
    get: (_target, name) => {
      if (typeof name !== 'string') return undefined;
      const value = resolve(name);
      return value === MISSING ? undefined : value;
    },
    has: (_target, name) => typeof name === 'string' && resolve(name) !== MISSING,
  });
  return context;
}

/**
 * `dbt_utils` in a template: that package's macros by name, bound to the current render.
 * A dict, as in dbt, so `dbt_utils._is_relation` is an item lookup the sandbox allows.
 * A unit test's override of `dbt_utils.x` replaces that member.
 */
function packageNamespace(
  find: (name: string) => MacroDefinition | undefined,
  bind: (d: MacroDefinition) => unknown,
  overridden: (name: string) => unknown,
): object {
  const member = (name: string | symbol): unknown => {
    if (typeof name !== 'string') return MISSING;
    const override = overridden(name);
    if (override !== MISSING) return override;
    const definition = find(name);
    return definition ? bind(definition) : MISSING;
  };
  return new Proxy(
    {},
    {
      getOwnPropertyDescriptor: (_target, name) => {
        const value = member(name);
        return value === MISSING ? undefined : { value, writable: false, enumerable: true, configurable: true };
      },
      get: (_target, name) => {
        const value = member(name);
        return value === MISSING ? undefined : value;
      },
      has: (_target, name) => member(name) !== MISSING,
    },
  );
}

export { MISSING as MISSING_NAME };
