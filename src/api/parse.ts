/**
 * `tspipe parse` (dbt parse): reads the project, checks it, and writes
 * target/manifest.json; no database, no compiled SQL. With the caches on (the
 * default) an unchanged project comes from target/project_snapshot.json, and an
 * unchanged manifest.json only gets its generated_at rewritten.
 */
import type { NodeCounts } from '../parse/project-snapshot.js';
import { formatError } from '../errors.js';
import { artifactWriterFor, writeManifestReusing } from './artifacts.js';
import { cachesEnabled, loadProject, type ProjectOptions } from './load-project.js';

export interface ParseOutcome {
  counts: NodeCounts;
  manifestPath: string;
  /** No file was parsed: nothing changed since the last parse. */
  fromSnapshot: boolean;
  /** Problems that do not stop the parse, as dbt prints them. */
  warnings: string[];
}

export function parseCommand(options: ProjectOptions, env: NodeJS.ProcessEnv = process.env): ParseOutcome {
  const project = loadProject(options, env);
  const manifestPath = writeManifestReusing(project, artifactWriterFor(project), cachesEnabled(options));
  return { counts: project.counts, manifestPath, fromSnapshot: project.fromSnapshot, warnings: project.warnings.map(formatError) };
}
