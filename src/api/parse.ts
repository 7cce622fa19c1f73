/**
 * `tspipe parse` (dbt parse): reads the project, checks it, and writes
 * target/manifest.json; no database, no compiled SQL. With the caches on (the
 * default) an unchanged project comes from target/project_snapshot.json.
 */
import type { ResourceType } from '../parse/manifest.js';
import { artifactWriterFor, writeManifestReusing } from './artifacts.js';
import { cachesEnabled, loadProject, type ProjectOptions } from './load-project.js';

export interface ParseOutcome {
  counts: Record<ResourceType, number>;
  macros: number;
  manifestPath: string;
  /** No file was parsed: nothing changed since the last parse. */
  fromSnapshot: boolean;
}

export function parseCommand(options: ProjectOptions, env: NodeJS.ProcessEnv = process.env): ParseOutcome {
  const project = loadProject(options, env);
  const counts: Record<ResourceType, number> = { model: 0, seed: 0, test: 0, source: 0 };
  for (const node of Object.values(project.manifest.nodes)) counts[node.resourceType]++;
  counts.source = Object.keys(project.manifest.sources).length;
  const manifestPath = writeManifestReusing(project, artifactWriterFor(project), cachesEnabled(options));
  return { counts, macros: Object.keys(project.manifest.macros).length, manifestPath, fromSnapshot: project.fromSnapshot };
}
