/**
 * Which code runs a generic test: the `test_<name>` macro dbt would call (a package's
 * with `pkg.name`, else the node's package's, the root project's, the global
 * project's), or tspipe's built-in SQL for dbt's core tests (and a few dbt_utils ones
 * when dbt_utils is not installed) as long as nobody overrides them.
 */
import { INTERNAL_PACKAGE } from '../context/macro-registry.js';
import type { TemplateEngine } from '../parse/template-engine.js';
import { builtinTest, type GenericTest } from './generic-tests.js';

export type TestImplementation = { kind: 'macro'; macro: string } | { kind: 'builtin'; test: GenericTest };

export function testImplementation(
  engine: TemplateEngine,
  testName: string,
  namespace: string | undefined,
  packageName: string,
): TestImplementation | undefined {
  const macroName = `test_${testName}`;
  const builtin = builtinTest(testName, namespace);
  const definition = namespace ? engine.registry.fromPackage(namespace, macroName) : engine.resolveMacro(macroName, packageName);
  if (definition && definition.package !== INTERNAL_PACKAGE) return { kind: 'macro', macro: namespace ? `${namespace}.${macroName}` : macroName };
  if (builtin && !dispatchOverridden(engine, testName, packageName)) return { kind: 'builtin', test: builtin };
  if (definition) return { kind: 'macro', macro: namespace ? `${namespace}.${macroName}` : macroName };
  return builtin ? { kind: 'builtin', test: builtin } : undefined;
}

/** A project's default__test_x or postgres__test_x replaces dbt's, through dispatch. */
function dispatchOverridden(engine: TemplateEngine, testName: string, packageName: string): boolean {
  return ['postgres', 'default'].some((prefix) => {
    const found = engine.resolveMacro(`${prefix}__test_${testName}`, packageName);
    return found !== undefined && found.package !== INTERNAL_PACKAGE;
  });
}
