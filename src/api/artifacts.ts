/** Writes target/manifest.json and target/run_results.json for a command. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FileStamp } from '../compile/compile-cache.js';
import { ArtifactWriter } from '../execute/artifact-writer.js';
import type { NodeResult } from '../execute/reporter.js';
import { runResultsToJson } from '../execute/run-results.js';
import { hashJson, readCacheFile, writeCacheFile } from '../parse/cache-file.js';
import { manifestToJson } from '../parse/manifest-json.js';
import { TSPIPE_VERSION } from '../version.js';
import type { LoadedProject } from './load-project.js';

export function artifactWriterFor(project: LoadedProject): ArtifactWriter {
  return new ArtifactWriter(project.config.projectDir, project.config.targetPath);
}

export function writeManifest(project: LoadedProject, writer = artifactWriterFor(project)): string {
  return writer.writeJson('manifest.json', manifestToJson(project.manifest, { version: TSPIPE_VERSION, target: project.target.name }));
}

export function writeRunResults(
  project: LoadedProject,
  command: string,
  results: NodeResult[],
  elapsedSeconds: number,
  args: Record<string, unknown>,
  database: string,
  writer = artifactWriterFor(project),
): string {
  return writer.writeJson(
    'run_results.json',
    runResultsToJson(results, {
      version: TSPIPE_VERSION,
      command,
      invocationId: randomUUID(),
      generatedAt: new Date().toISOString(),
      elapsedSeconds,
      target: project.target.name,
      database,
      args,
    }),
  );
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
export function writeManifestReusing(project: LoadedProject, writer: ArtifactWriter, useCache: boolean): string {
  // generatedAt, not manifest.generatedAt: an unchanged manifest is not even read.
  const { manifestKey, generatedAt } = project;
  const key = useCache && manifestKey ? hashJson([manifestKey, TSPIPE_VERSION, project.target.name]) : undefined;
  const stampPath = join(project.config.projectDir, project.config.targetPath, 'manifest_stamp.json');
  const previous = key ? readCacheFile<ManifestStamp>(stampPath, STAMP_FORMAT) : undefined;
  let written: { path: string; stamp?: FileStamp } | undefined;
  if (key && previous?.key === key) {
    written = writer.patchHead(
      'manifest.json',
      previous.file,
      `"generated_at": ${JSON.stringify(previous.generatedAt)}`,
      `"generated_at": ${JSON.stringify(generatedAt)}`,
    );
  }
  written ??= { path: writeManifest(project, writer), stamp: key ? writer.stamp('manifest.json') : undefined };
  if (key && written.stamp) writeCacheFile(stampPath, STAMP_FORMAT, { key, generatedAt, file: written.stamp });
  return written.path;
}
