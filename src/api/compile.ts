/**
 * `tspipe compile`: renders the selected models to target/compiled/ and writes
 * target/manifest.json, without touching the database (is_incremental() is false).
 */
import { compileModel } from '../compile/compile-model.js';
import { artifactWriterFor, writeManifest } from './artifacts.js';
import { loadProject, selectForCommand, type ProjectOptions } from './load-project.js';

export interface CompileOptions extends ProjectOptions {
  select?: string[];
  exclude?: string[];
}

export interface CompileOutcome {
  compiled: { uniqueId: string; path: string }[];
  manifestPath: string;
  unmatched: string[];
}

export function compileProject(options: CompileOptions, env?: NodeJS.ProcessEnv): CompileOutcome {
  const project = loadProject(options, env);
  const selection = selectForCommand(project, { select: options.select, exclude: options.exclude, resourceTypes: ['model'] });
  const writer = artifactWriterFor(project);
  const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
  const compiled = selection.ordered.map((id) => {
    const node = project.manifest.nodes[id]!;
    if (node.resourceType !== 'model') throw new Error(`unexpected ${node.resourceType} in compile selection`);
    return { uniqueId: id, path: writer.writeCompiled(node.originalFilePath, compileModel(node, context).sql) };
  });
  return { compiled, manifestPath: writeManifest(project, writer), unmatched: selection.unmatched };
}
