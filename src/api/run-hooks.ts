/**
 * on-run-start and on-run-end: the SQL a project (and each package) runs before the
 * first node and after the last. Rendered when they run; on-run-end sees `results`
 * (one entry per node run) and `schemas` (the schemas the run built into).
 */
import type { DbAdapter } from '../contract/index.js';
import { findSource, templateRelation } from '../compile/compile-model.js';
import { WarehouseSession } from '../context/warehouse.js';
import { ProjectError } from '../errors.js';
import type { NodeResult } from '../execute/reporter.js';
import { nodeDict } from '../parse/node-dict.js';
import { resolveRef } from '../parse/resolve-refs.js';
import type { LoadedProject } from './load-project.js';

export type RunHookKind = 'on-run-start' | 'on-run-end';

export interface RunHookContext {
  schemas: string[];
  results?: NodeResult[];
}

export async function runProjectHooks(kind: RunHookKind, project: LoadedProject, adapter: DbAdapter, context: RunHookContext): Promise<number> {
  const { manifest, engine } = { manifest: project.manifest, engine: project.parsed.engine };
  const results = (context.results ?? []).map((r) => ({
    unique_id: r.uniqueId,
    status: r.status,
    message: r.message ?? null,
    execution_time: r.executionTime,
    failures: r.failures ?? null,
    adapter_response: { rows_affected: r.rowsAffected ?? null },
    node: manifest.nodes[r.uniqueId] ? nodeDict(manifest.nodes[r.uniqueId]!) : null,
  }));
  let ran = 0;
  // Packages' hooks first, as dependencies come before the project that uses them.
  for (const pkg of [...project.parsed.tree.packages].reverse()) {
    const hooks = kind === 'on-run-start' ? pkg.config.onRunStart : pkg.config.onRunEnd;
    const file = pkg.config.displayDir ? `${pkg.config.displayDir}/${pkg.config.configFile}` : pkg.config.configFile;
    for (const [index, hook] of hooks.entries()) {
      const hooks = projectRenderHooks(project, { file, packageName: pkg.config.name, session: new WarehouseSession(adapter), what: kind });
      const sql = await engine.renderAsync(engine.compile(hook, file), {
        ...hooks,
        extra: { schemas: context.schemas, database_schemas: context.schemas.map((s) => Object.freeze([project.target.database, s])), results },
      });
      if (sql.trim()) {
        try {
          await adapter.exec(sql);
        } catch (error) {
          throw new ProjectError(`${kind} hook ${index + 1} of ${pkg.config.name} failed: ${(error as Error).message}`, {
            file,
            cause: error,
            hint: 'fix the hook in the project file',
          });
        }
      }
      ran++;
    }
  }
  return ran;
}

/**
 * What a template rendered outside any node sees (a project hook, a run-operation):
 * ref() and source() resolve as from `packageName`, no config() or `this`, and
 * statements run on `session`.
 */
export function projectRenderHooks(project: LoadedProject, where: { file: string; packageName: string; session: WarehouseSession; what: string }) {
  const { manifest } = project;
  const { file, packageName, session, what } = where;
  return {
    file,
    packageName,
    execute: true,
    session,
    ref: (first: string, second?: string, version?: unknown) => {
      const [refPackage, name] = second === undefined ? [undefined, first] : [first, second];
      const node = manifest.nodes[resolveRef(manifest, name, refPackage, packageName, version) ?? ''];
      if (!node) throw new ProjectError(`${what}: ref("${name}") names a model or seed that does not exist`, { file });
      return templateRelation(node.relation, 'table');
    },
    source: (sourceName: string, table: string) => {
      const source = findSource(manifest, sourceName, table);
      if (!source) throw new ProjectError(`${what}: source("${sourceName}", "${table}") is not declared`, { file });
      return templateRelation(source.relation, 'table');
    },
    config: () => undefined,
    configGet: (_key: string, fallback: unknown) => fallback,
    isIncremental: () => false,
    thisRelation: undefined,
  };
}
