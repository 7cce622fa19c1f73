/**
 * `tspipe compile`: renders the selected models to target/compiled/ and writes
 * target/manifest.json, without touching the database (is_incremental() is false).
 * target/compile_cache.json lets an unchanged model skip both render and write.
 */
import { join } from 'node:path';
import { CompileCache, type FileStamp } from '../compile/compile-cache.js';
import { compileModel, type CompileInputs } from '../compile/compile-model.js';
import type { ArtifactWriter } from '../execute/artifact-writer.js';
import { hashJson, readCacheFile, writeCacheFile } from '../parse/cache-file.js';
import { TSPIPE_VERSION } from '../version.js';
import { artifactWriterFor, writeManifest } from './artifacts.js';
import { loadProject, selectForCommand, type LoadedProject, type ProjectOptions } from './load-project.js';

export interface CompileOptions extends ProjectOptions {
  select?: string[];
  exclude?: string[];
}

export interface CompileOutcome {
  compiled: { uniqueId: string; path: string }[];
  manifestPath: string;
  unmatched: string[];
}

export function compileProject(options: CompileOptions, env: NodeJS.ProcessEnv = process.env): CompileOutcome {
  const project = loadProject(options, env);
  const selection = selectForCommand(project, { select: options.select, exclude: options.exclude, resourceTypes: ['model'] });
  const writer = artifactWriterFor(project);
  const { projectDir, targetPath } = project.config;
  const useCache = options.cache !== false;
  const cache = useCache ? CompileCache.open(projectDir, targetPath, { projectKey: project.parsed.projectKey, manifestKey: project.manifestKey }, env) : CompileCache.disabled();
  const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
  const batch = writer.compiledBatch();
  const rendered: { id: string; file: string; inputs: CompileInputs }[] = [];
  let compiled: CompileOutcome['compiled'];
  let manifestPath: string;
  try {
    compiled = selection.ordered.map((id) => {
      const node = project.manifest.nodes[id]!;
      if (node.resourceType !== 'model') throw new Error(`unexpected ${node.resourceType} in compile selection`);
      if (cache.isFresh(id, project.manifest, () => writer.compiledStamp(node.originalFilePath))) {
        return { uniqueId: id, path: writer.compiledPath(node.originalFilePath) };
      }
      const model = compileModel(node, context);
      rendered.push({ id, file: node.originalFilePath, inputs: model.inputs });
      return { uniqueId: id, path: batch.write(node.originalFilePath, model.sql) };
    });
    // The manifest is serialised while a worker thread may still be writing SQL files.
    manifestPath = writeManifestReusing(project, writer, useCache);
  } catch (error) {
    try {
      batch.finish();
    } catch {
      // The first error is the one to report.
    }
    throw error;
  }
  const stamps = batch.finish();
  for (const { id, file, inputs } of rendered) cache.record(id, project.manifest, inputs, stamps.get(file)!);
  cache.save(project.manifest);
  return { compiled, manifestPath, unmatched: selection.unmatched };
}

/** manifest.json as this command last wrote it: equal keys mean equal content but for generated_at. */
interface ManifestStamp {
  key: string;
  generatedAt: string;
  file: FileStamp;
}

const STAMP_FORMAT = 'tspipe-manifest-stamp-1';

/**
 * manifest.json (api/artifacts.ts) is a function of the parse inputs
 * (LoadedProject.manifestKey), the tspipe version and the target name, plus
 * generated_at: when those are the same and the file is untouched since this
 * command wrote it, only generated_at is rewritten (the file is 14 MB at 10,000
 * models). The stamp lives in its own small file, rewritten every run.
 */
function writeManifestReusing(project: LoadedProject, writer: ArtifactWriter, useCache: boolean): string {
  const { manifestKey, manifest } = project;
  const key = useCache && manifestKey ? hashJson([manifestKey, TSPIPE_VERSION, project.target.name]) : undefined;
  const stampPath = join(project.config.projectDir, project.config.targetPath, 'manifest_stamp.json');
  const previous = key ? readCacheFile<ManifestStamp>(stampPath, STAMP_FORMAT) : undefined;
  let written: { path: string; stamp?: FileStamp } | undefined;
  if (key && previous?.key === key) {
    written = writer.patchHead(
      'manifest.json',
      previous.file,
      `"generated_at": ${JSON.stringify(previous.generatedAt)}`,
      `"generated_at": ${JSON.stringify(manifest.generatedAt)}`,
    );
  }
  written ??= { path: writeManifest(project, writer), stamp: key ? writer.stamp('manifest.json') : undefined };
  if (key && written.stamp) writeCacheFile(stampPath, STAMP_FORMAT, { key, generatedAt: manifest.generatedAt, file: written.stamp });
  return written.path;
}
