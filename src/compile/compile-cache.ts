/**
 * target/compile_cache.json: for each model, a key over everything its last
 * compile render read, and the stamp of the file it wrote. `tspipe compile` skips
 * a model when the key computed now is the same and the file is untouched. The key
 * covers, besides the project key (tspipe version, project file, vars, target,
 * macros): each rendered template's node but its text, which its checksum stands for
 * (the model's and its ephemeral parents'; `model` shows all of it); for each ref()
 * name, what it resolves to (node, kind, relation, materialization); for each
 * source(), its relation; the values of the environment variables and flags read;
 * the manifest's key when a template read `graph`. A render that read the clock is not
 * stored. is_incremental() is false in `tspipe compile`, the only user. src/CACHES.md
 * lists every cache's inputs: change it with this file.
 */
import { resolveRef } from '../parse/resolve-refs.js';
import { join } from 'node:path';
import { readCacheFile, writeCacheFile } from '../parse/cache-file.js';
import { hashText } from '../text.js';
import type { ExecutableNode, Manifest } from '../parse/manifest.js';
import { findSource, type CompileInputs } from './compile-model.js';

const FORMAT = 'tspipe-compile-cache-4';

/** Enough of a file's stat to notice that someone else changed or replaced it. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

interface Facts {
  rendered: string[];
  refs: string[];
  sources: [string, string][];
  env: string[];
  /** Read `graph`: keyed on the whole manifest (its manifestKey). */
  graph?: boolean;
}

interface Entry extends Facts {
  key: string;
  file: FileStamp;
  /** The model's file (originalFilePath), where its compiled file's path comes from. */
  source: string;
}

interface CacheBody {
  /** LoadedProject.manifestKey of the manifest the entries were checked against last. */
  manifestKey?: string;
  entries: Record<string, Entry>;
}

export interface ManifestKeys {
  projectKey?: string;
  manifestKey?: string;
}

export class CompileCache {
  private readonly next: Record<string, Entry> = {};
  private changed = false;
  /** Per-run memo of each node's part of a key: many models ref the same parent. */
  private readonly renderParts = new WeakMap<ExecutableNode, string>();
  private readonly refParts = new WeakMap<ExecutableNode, string>();

  private constructor(
    private readonly path: string | undefined,
    private readonly keys: ManifestKeys,
    private readonly previous: Record<string, Entry>,
    /** The entries were recorded against this very manifest (same manifestKey). */
    private readonly sameManifest: boolean,
    private readonly env: Record<string, string | undefined>,
  ) {}

  /** A project key of undefined (renders that cannot be cached) gives a cache that keeps nothing. */
  static open(projectDir: string, targetPath: string, keys: ManifestKeys, env: Record<string, string | undefined>): CompileCache {
    const path = join(projectDir, targetPath, 'compile_cache.json');
    const file = keys.projectKey ? readCacheFile<CacheBody>(path, FORMAT) : undefined;
    const sameManifest = keys.manifestKey !== undefined && file?.manifestKey === keys.manifestKey;
    return new CompileCache(path, keys, file?.entries ?? {}, sameManifest, env);
  }

  static disabled(): CompileCache {
    return new CompileCache(undefined, {}, {}, false, {});
  }

  private get projectKey(): string | undefined {
    return this.keys.projectKey;
  }

  /** True when the compiled file on disk is what compiling the model now would write. */
  isFresh(uniqueId: string, manifest: Manifest, stampOfFile: () => FileStamp | undefined): boolean {
    const entry = this.previous[uniqueId];
    if (!entry) return false;
    const stamp = stampOfFile();
    if (!stamp || !sameStamp(entry.file, stamp)) return false;
    // The same manifest gives every key part but the environment's the same value.
    const unchanged = this.sameManifest && entry.env.length === 0;
    if (!unchanged && this.keyOf(manifest, entry) !== entry.key) return false;
    this.next[uniqueId] = entry;
    return true;
  }

  /**
   * For a project unchanged since the last compile: each model with the source file its
   * compiled file comes from, when the entries cover exactly `models` models of this
   * very manifest, read no environment variable, and every compiled file is untouched.
   * Then nothing needs the manifest at all.
   */
  allUpToDate(models: number, stampOfFile: (source: string) => FileStamp | undefined): { uniqueId: string; source: string }[] | undefined {
    if (!this.sameManifest) return undefined;
    const entries = Object.entries(this.previous);
    if (entries.length !== models) return undefined;
    const upToDate: { uniqueId: string; source: string }[] = [];
    for (const [uniqueId, entry] of entries) {
      if (entry.env.length > 0 || typeof entry.source !== 'string') return undefined;
      const stamp = stampOfFile(entry.source);
      if (!stamp || !sameStamp(entry.file, stamp)) return undefined;
      upToDate.push({ uniqueId, source: entry.source });
    }
    return upToDate;
  }

  record(uniqueId: string, manifest: Manifest, inputs: CompileInputs, file: FileStamp): void {
    if (!this.projectKey || inputs.reads.volatile || file.size < 0) return;
    const facts: Facts = {
      rendered: inputs.rendered,
      refs: inputs.refs,
      sources: inputs.sources,
      env: Object.keys(inputs.reads.env),
      graph: inputs.graph || undefined,
    };
    const key = this.keyOf(manifest, facts);
    if (key === undefined) return;
    this.next[uniqueId] = { key, ...facts, file, source: manifest.nodes[uniqueId]!.originalFilePath };
    this.changed = true;
  }

  /**
   * Keeps the entries of models not compiled this time (--select) while they exist;
   * entries go in `order` (topological), so allUpToDate() lists models that way too.
   */
  save(manifest: Manifest, order: string[]): void {
    if (!this.path || !this.projectKey) return;
    let dropped = false;
    let unchecked = false;
    for (const [id, entry] of Object.entries(this.previous)) {
      if (this.next[id]) continue;
      if (manifest.nodes[id]) this.next[id] = entry;
      else dropped = true;
      unchecked ||= !!manifest.nodes[id];
    }
    if (this.changed || dropped || !this.sameManifest) {
      // Entries kept without a check this run were made against another manifest.
      const verified = this.sameManifest || !unchecked;
      const entries: Record<string, Entry> = {};
      for (const id of order) if (this.next[id]) entries[id] = this.next[id];
      Object.assign(entries, this.next);
      const body: CacheBody = { manifestKey: verified ? this.keys.manifestKey : undefined, entries };
      writeCacheFile(this.path, FORMAT, body);
    }
  }

  /** Undefined when something read cannot be hashed (a config value JSON cannot hold). */
  private keyOf(manifest: Manifest, facts: Facts): string | undefined {
    try {
      const parts = [this.projectKey!];
      if (facts.graph) {
        if (this.keys.manifestKey === undefined) return undefined;
        parts.push(this.keys.manifestKey);
      }
      for (const id of facts.rendered) parts.push(id, this.renderPart(manifest.nodes[id]));
      for (const name of facts.refs) {
        const id = resolveRef(manifest, name, undefined, manifest.nodes[facts.rendered[0] ?? '']?.packageName ?? manifest.rootPackage);
        parts.push(name, id ?? '', this.refPart(id === undefined ? undefined : manifest.nodes[id]));
      }
      for (const [s, t] of facts.sources) {
        const source = findSource(manifest, s, t);
        parts.push(s, t, JSON.stringify(source ? [source.relation, source.eventTime ?? null] : null));
      }
      for (const name of facts.env) parts.push(name, JSON.stringify(this.env[name] ?? null));
      return hashText(JSON.stringify(parts));
    } catch {
      return undefined;
    }
  }

  /** What a rendered template contributes: the whole node (`model` shows it all: description, columns, meta...), its text by checksum. */
  private renderPart(node: ExecutableNode | undefined): string {
    if (node?.resourceType !== 'model') return 'null';
    let part = this.renderParts.get(node);
    if (part === undefined) {
      const { rawCode: _text, ...rest } = node;
      part = JSON.stringify(rest);
      this.renderParts.set(node, part);
    }
    return part;
  }

  /** What ref() of a node gives: its relation, or its SQL as a CTE when ephemeral (rendered, so keyed above). */
  private refPart(node: ExecutableNode | undefined): string {
    if (!node) return 'null';
    let part = this.refParts.get(node);
    if (part === undefined) {
      part = JSON.stringify([node.resourceType, node.relation, node.config.materialized]);
      this.refParts.set(node, part);
    }
    return part;
  }
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
