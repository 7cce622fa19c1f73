/**
 * `tspipe compile`: renders the selected models and snapshots to target/compiled/ and writes
 * target/manifest.json, without touching the database (is_incremental() is false).
 * target/compile_cache.json lets an unchanged model skip both render and write.
 */
import { CompileCache } from '../compile/compile-cache.js';
import { compileModel, compileModelWithDatabase, type CompileInputs, type CompiledModel } from '../compile/compile-model.js';
import { NeedsDatabaseError, WarehouseSession } from '../context/warehouse.js';
import { lazyDatabase } from './lazy-database.js';
import { formatError } from '../errors.js';
import { artifactWriterFor, writeManifestReusing } from './artifacts.js';
import { withFlags } from '../parse/render-hooks.js';
import type { ModelNode } from '../parse/manifest.js';
import { compiledFileOf } from '../parse/manifest-json.js';
import { cachesEnabled, flagsFor, loadProject, selectForCommand, selectResources, type ProjectOptions } from './load-project.js';

/** What dbt compile renders to target/compiled/ and tspipe can (tests compile when they run). */
const COMPILED_TYPES = ['model', 'snapshot'] as const;

export interface CompileOptions extends ProjectOptions {
  select?: string[];
  exclude?: string[];
}

export interface CompileOutcome {
  compiled: { uniqueId: string; path: string }[];
  manifestPath: string;
  unmatched: string[];
  /** Every model's compiled file was already up to date: nothing was read, rendered or written. */
  unchanged: boolean;
  /** Problems that do not stop the compile, as dbt prints them. */
  warnings: string[];
}

export async function compileProject(options: CompileOptions, env: NodeJS.ProcessEnv = process.env): Promise<CompileOutcome> {
  const projectOptions = { ...options, command: 'compile' };
  const project = loadProject(projectOptions, env);
  const warnings = project.warnings.map(formatError);
  const writer = artifactWriterFor(project);
  const { projectDir, targetPath } = project.config;
  const useCache = cachesEnabled(options);
  const cache = useCache
    ? CompileCache.open(
        projectDir,
        targetPath,
        { projectKey: project.parsed.projectKey, manifestKey: project.manifestKey },
        withFlags(env, flagsFor(projectOptions)),
      )
    : CompileCache.disabled();
  // Nothing changed since the last compile of every model: no manifest to read, nothing to render.
  const compilable = project.counts.model + project.counts.snapshot;
  const upToDate = options.select || options.exclude ? undefined : cache.allUpToDate(compilable, (file) => writer.compiledStamp(file));
  if (upToDate) {
    const compiled = upToDate.map(({ uniqueId, source }) => ({ uniqueId, path: writer.compiledPath(source) }));
    return { compiled, manifestPath: writeManifestReusing(project, writer, useCache), unmatched: [], unchanged: true, warnings };
  }
  const selection = selectForCommand(project, { select: options.select, exclude: options.exclude, resourceTypes: [...COMPILED_TYPES] });
  selectResources(project, selection.ordered);
  const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
  const batch = writer.compiledBatch();
  const rendered: { id: string; file: string; inputs: CompileInputs }[] = [];
  const compiled: CompileOutcome['compiled'] = [];
  let manifestPath: string;
  // Models whose templates query the database (like dbt compile) connect on first need.
  const database = lazyDatabase(project);
  try {
    for (const id of selection.ordered) {
      const node = project.manifest.nodes[id]!;
      if (node.resourceType !== 'model' && node.resourceType !== 'snapshot') throw new Error(`unexpected ${node.resourceType} in compile selection`);
      const file = compiledFileOf(node);
      if (cache.isFresh(id, project.manifest, () => writer.compiledStamp(file))) {
        compiled.push({ uniqueId: id, path: writer.compiledPath(file) });
        continue;
      }
      let model: CompiledModel;
      try {
        // A snapshot's SELECT compiles like a model's (its materialization does the rest).
        model = compileModel(node as ModelNode, context);
      } catch (error) {
        if (!(error instanceof NeedsDatabaseError)) throw error;
        model = await compileModelWithDatabase(node as ModelNode, context, new WarehouseSession(await database.open()));
      }
      rendered.push({ id, file, inputs: model.inputs });
      compiled.push({ uniqueId: id, path: batch.write(file, model.sql) });
    }
    // The manifest is serialised while a worker thread may still be writing SQL files.
    manifestPath = writeManifestReusing(project, writer, useCache);
  } catch (error) {
    await database.close();
    try {
      batch.finish();
    } catch {
      // The first error is the one to report.
    }
    throw error;
  }
  await database.close();
  const stamps = batch.finish();
  for (const { id, file, inputs } of rendered) cache.record(id, project.manifest, inputs, stamps.get(file)!);
  cache.save(project.manifest, selection.ordered);
  return { compiled, manifestPath, unmatched: selection.unmatched, unchanged: false, warnings };
}
