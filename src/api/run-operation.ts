/**
 * `tspipe run-operation <macro>`: calls a macro of the project (or `package.macro`)
 * with --args as its keyword arguments, as `dbt run-operation` does. Its statements
 * (run_query, statement blocks, adapter.* calls) run in one transaction, committed
 * when the macro returns and rolled back when it fails.
 */
import { openAdapter } from '../adapter/open-adapter.js';
import { WarehouseSession } from '../context/warehouse.js';
import { ProjectError } from '../errors.js';
import { closestHint } from '../text.js';
import { INTERNAL_PACKAGE } from '../context/macro-registry.js';
import type { Manifest } from '../parse/manifest.js';
import { loadProject, type ProjectOptions } from './load-project.js';
import { projectRenderHooks } from './run-hooks.js';

export interface RunOperationOptions extends ProjectOptions {
  /** `name` (the project's, then a package's, then dbt's own) or `package.name`. */
  macro: string;
  /** Keyword arguments (dbt's --args). */
  args?: Record<string, unknown>;
}

export interface RunOperationOutcome {
  macro: string;
  elapsedSeconds: number;
}

export async function runOperation(options: RunOperationOptions, env: NodeJS.ProcessEnv = process.env): Promise<RunOperationOutcome> {
  const started = performance.now();
  const project = loadProject({ ...options, command: 'run-operation' }, env);
  const { engine } = project.parsed;
  const root = project.manifest.rootPackage;
  const macro = resolveOperation(project.manifest.macros, options.macro, root);
  const file = `run-operation ${macro}`;
  const adapter = await openAdapter(project.target.connection, { lockWait: true });
  try {
    await adapter.transaction(async (tx) => {
      const hooks = projectRenderHooks(project, { file, packageName: root, session: new WarehouseSession(tx), what: 'run-operation' });
      await engine.callMacroAsync(macro, hooks, [], options.args ?? {});
    });
  } finally {
    await adapter.close();
  }
  return { macro, elapsedSeconds: (performance.now() - started) / 1000 };
}

/**
 * The name to call: dbt looks for an unqualified name in the root project, then in the
 * installed packages (`dbt run-operation generate_source` finds codegen's), then in
 * dbt's own macros.
 */
function resolveOperation(macros: Manifest['macros'], requested: string, root: string): string {
  const [qualifier, name] = requested.includes('.') ? (requested.split('.', 2) as [string, string]) : [undefined, requested];
  const named = Object.values(macros).filter((m) => m.name === name && (qualifier === undefined || m.packageName === qualifier));
  const rank = (packageName: string) => (packageName === root ? 0 : packageName === INTERNAL_PACKAGE ? 2 : 1);
  const found = named.sort((a, b) => rank(a.packageName) - rank(b.packageName))[0];
  if (found) return rank(found.packageName) === 1 ? `${found.packageName}.${found.name}` : found.name;
  const names = Object.values(macros).map((m) => (rank(m.packageName) === 1 ? `${m.packageName}.${m.name}` : m.name));
  throw new ProjectError(`run-operation: no macro named ${requested}`, {
    hint: closestHint(requested, names) ?? 'define it with {% macro ... %} in a file under macro-paths, or name a package macro as package.macro',
  });
}
