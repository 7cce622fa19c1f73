/**
 * target/partial_parse.json: what the parse pass learnt from each model (refs,
 * sources, config) and from each schema YAML file, keyed by content hashes, so an
 * unchanged project is not rendered again. A model entry is reused only when
 *  - the project key matches: tspipe version, every project file (root and
 *    packages), vars (with --vars), target, every macro file (packages' and tspipe's
 *    global project's), and the environment variables the macros read;
 *  - its own key matches: path, file content, and the config it starts from
 *    (project.yml folders + its schema YAML entry);
 *  - the environment variables and flags it read still have the values it saw.
 * A render that read the clock or invocation_id is never stored. src/CACHES.md lists
 * every cache and every input of its key: change it with this file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectTree } from './project-tree.js';
import type { RefCall, SourceNode, UnitTestDefinition } from './manifest.js';
import { hashJson, readCacheFile, writeCacheFile } from './cache-file.js';
import type { NodePatch } from './schema-yaml.js';

const FORMAT = 'tspipe-partial-parse-3';

/** What every render sees besides the model itself; undefined when a project file is unreadable. */
export function projectCacheKey(
  tree: ProjectTree,
  vars: Record<string, unknown>,
  target: object,
  macroFiles: [string, string][],
  macroEnv: Record<string, string | null>,
): string | undefined {
  const projectFiles: string[] = [];
  try {
    for (const pkg of tree.packages) projectFiles.push(readFileSync(join(pkg.config.projectDir, pkg.config.configFile), 'utf8'));
  } catch {
    return undefined;
  }
  return hashJson([FORMAT, tree.root.projectDir, projectFiles, vars, target, macroFiles, macroEnv]);
}

export interface ModelParseEntry {
  key: string;
  env: Record<string, string | null>;
  refs: RefCall[];
  sources: [string, string][];
  /** Config after the model's own config() calls, before validation. */
  config: Record<string, unknown>;
}

export interface SchemaFileResult {
  models: NodePatch[];
  seeds: NodePatch[];
  snapshots?: NodePatch[];
  sources: SourceNode[];
  /** Top-level keys tspipe does not run, with their lines. */
  unsupported?: [string, number | undefined][];
  unitTests?: UnitTestDefinition[];
}

interface SchemaFileEntry {
  key: string;
  result: SchemaFileResult;
}

interface PartialParse {
  projectKey?: string;
  models: Record<string, ModelParseEntry>;
  schemaFiles: Record<string, SchemaFileEntry>;
}

export class ParseCache {
  private readonly previous: PartialParse;
  private readonly next: PartialParse = { models: {}, schemaFiles: {} };
  private changed = false;

  private constructor(
    private readonly path: string | undefined,
    previous: PartialParse | undefined,
  ) {
    this.previous = previous ?? { models: {}, schemaFiles: {} };
  }

  static open(projectDir: string, targetPath: string): ParseCache {
    const path = join(projectDir, targetPath, 'partial_parse.json');
    return new ParseCache(path, readCacheFile<PartialParse>(path, FORMAT));
  }

  /** A cache that remembers nothing and writes nothing. */
  static disabled(): ParseCache {
    return new ParseCache(undefined, undefined);
  }

  /** Undefined when the project cannot be cached (its macros read the clock). */
  setProjectKey(key: string | undefined): void {
    this.next.projectKey = key;
    if (key === undefined || key !== this.previous.projectKey) this.previous.models = {};
    if (key !== this.previous.projectKey) this.changed = true;
  }

  model(file: string, key: string, env: Record<string, string | undefined>): ModelParseEntry | undefined {
    const entry = this.previous.models[file];
    if (!entry || entry.key !== key) return undefined;
    for (const [name, seen] of Object.entries(entry.env)) if ((env[name] ?? null) !== seen) return undefined;
    this.next.models[file] = entry;
    return entry;
  }

  setModel(file: string, entry: ModelParseEntry): void {
    if (this.next.projectKey === undefined) return;
    this.next.models[file] = entry;
    this.changed = true;
  }

  schemaFile(file: string, key: string): SchemaFileResult | undefined {
    const entry = this.previous.schemaFiles[file];
    if (!entry || entry.key !== key) return undefined;
    this.next.schemaFiles[file] = entry;
    return entry.result;
  }

  setSchemaFile(file: string, key: string, result: SchemaFileResult): void {
    this.next.schemaFiles[file] = { key, result };
    this.changed = true;
  }

  /** Writes the entries used or made in this run, when anything differs from the file read. */
  save(): void {
    if (!this.path) return;
    const dropped =
      Object.keys(this.previous.models).some((f) => !this.next.models[f]) || Object.keys(this.previous.schemaFiles).some((f) => !this.next.schemaFiles[f]);
    if (this.changed || dropped) writeCacheFile(this.path, FORMAT, this.next);
  }
}
