/** Writes target/manifest.json and target/run_results.json for a command. */
import { randomUUID } from 'node:crypto';
import { ArtifactWriter } from '../execute/artifact-writer.js';
import type { NodeResult } from '../execute/reporter.js';
import { runResultsToJson } from '../execute/run-results.js';
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
      args,
    }),
  );
}
