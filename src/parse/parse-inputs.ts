/**
 * The cache bookkeeping of a parse, kept apart from the parsing itself: the project
 * key (what every render sees), the partial parse cache it opens, and everything
 * else the manifest was made from, hashed into `inputsKey` at the end. src/CACHES.md
 * lists every input; change it with this file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderReads } from '../context/render-reads.js';
import { sha256 } from '../text.js';
import { hashJson } from './cache-file.js';
import { ParseCache, projectCacheKey } from './parse-cache.js';
import type { ParseOptions } from './parsed-project.js';

export class ParseInputs {
  private readonly modelChecksums: [string, string][] = [];
  private readonly schemaKeys: (string | undefined)[] = [];
  private readonly envRead: Record<string, string | null> = {};
  private volatile = false;

  private constructor(
    /** Hash of everything a render can see besides the model's own file and config; undefined when renders must not be cached. */
    readonly projectKey: string | undefined,
    readonly cache: ParseCache,
  ) {}

  /** After the macros are loaded: they, the project files, vars and target make the project key. */
  static start(options: ParseOptions, macroFiles: [string, string][], macroReads: RenderReads): ParseInputs {
    const { tree } = options;
    const projectKey = macroReads.volatile ? undefined : projectCacheKey(tree, options.vars ?? {}, options.target, macroFiles, macroReads.env);
    const cache = options.cache ? ParseCache.open(tree.root.projectDir, tree.root.targetPath) : ParseCache.disabled();
    cache.setProjectKey(projectKey);
    const inputs = new ParseInputs(projectKey, cache);
    inputs.addReads(macroReads);
    return inputs;
  }

  /** What a render read (environment variables, flags, the clock). */
  addReads(reads: RenderReads): void {
    Object.assign(this.envRead, reads.env);
    this.volatile ||= reads.volatile;
  }

  addModel(file: string, checksum: string, env: Record<string, string | null>): void {
    this.modelChecksums.push([file, checksum]);
    Object.assign(this.envRead, env);
  }

  /** Each property file's content key; undefined for a file that could not be read. */
  addSchemaKeys(keys: (string | undefined)[]): void {
    this.schemaKeys.push(...keys);
  }

  /** The key of the manifest (undefined when it cannot be cached), and every environment variable and flag read. */
  finish(docs: Record<string, string>, seeds: string[], contentFiles: string[], projectDir: string) {
    const envRead = { ...this.envRead };
    const cacheable = this.projectKey && !this.volatile && this.schemaKeys.every((k) => k !== undefined);
    const inputsKey = cacheable
      ? hashJson([this.projectKey, this.modelChecksums, this.schemaKeys, docs, seeds, contentKeys(projectDir, contentFiles), envRead])
      : undefined;
    return { envRead, inputsKey };
  }
}

/** Files read outside any other key (singular tests, unit test fixtures): their text is an input too. */
function contentKeys(projectDir: string, files: string[]): [string, string][] {
  return files.map((file) => {
    try {
      return [file, sha256(readFileSync(join(projectDir, file), 'utf8'))];
    } catch {
      return [file, ''];
    }
  });
}
