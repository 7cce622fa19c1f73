/**
 * target/project_snapshot.json (+ _body.json): the whole parsed manifest (data tests
 * included) with the stat of every file it came from. When no project file was added, removed or
 * touched (size, mtime, ctime, inode), and the options and the environment variables
 * and flags the parse read are the same (src/CACHES.md lists every input), the next command takes the manifest as it is instead
 * of reading and parsing every file again (10,000 models: ~0.4 s saved). The manifest
 * itself sits in project_snapshot_body.json, read only by commands that need it
 * (`tspipe parse` of an unchanged project does not).
 *
 * Stamps are taken before the files are read. A file changed in the last RACY_MS (or
 * dated in the future) could change again inside the same clock tick and keep its
 * stamp (git's "racy clean" problem): its content hash is kept too, and compared. ctime
 * cannot be set by tools that copy mtimes, so a rewrite with an old mtime is seen.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config/project-config.js';
import { ProjectError, type ErrorLocation, type TspipeError } from '../errors.js';
import { TSPIPE_VERSION } from '../version.js';
import { hashText } from '../text.js';
import { hashJson, isPlainJson, readCacheFile, writeCacheFile } from './cache-file.js';
import type { ProjectFiles } from './discover-files.js';
import type { Manifest, ResourceType } from './manifest.js';

const FORMAT = 'tspipe-project-snapshot-5';
const BODY_FORMAT = 'tspipe-project-snapshot-body-5';
const RACY_MS = 2000;

/** size, mtime, ctime, inode, and the content hash of a racy file; null for a file that vanished. */
type Stamp = [number, number, number, number, string?] | null;

export interface SnapshotKeys {
  projectKey?: string;
  inputsKey?: string;
  manifestKey: string;
}

export type NodeCounts = Record<ResourceType | 'macro', number>;

/** project_snapshot.json: small enough to read on every command. */
interface SnapshotHead extends SnapshotKeys {
  key: string;
  files: string[];
  stamps: Stamp[];
  /** Environment variables the parse read (null: unset), with the values seen. */
  env: Record<string, string | null>;
  counts: NodeCounts;
  /** The parse's warnings, shown again on every command as a fresh parse would. */
  warnings?: SavedWarning[];
  /** Names the body written with this head. */
  bodyId: string;
}

/** project_snapshot_body.json: read only when a command needs the manifest itself. */
export interface SnapshotBody {
  bodyId: string;
  manifest: Manifest;
  /** The graph's topological order (graph/topological-order.ts), a function of the manifest. */
  order: string[];
}

/** A warning as JSON: what ProjectError is made of. */
export interface SavedWarning {
  message: string;
  location: ErrorLocation;
  hint?: string;
}

export interface RestoredSnapshot extends SnapshotKeys {
  envRead: Record<string, string | null>;
  counts: NodeCounts;
  warnings: ProjectError[];
  /** The manifest (generatedAt as saved) and its order; undefined if another tspipe replaced the body since. */
  body(): Pick<SnapshotBody, 'manifest' | 'order'> | undefined;
}

export class ProjectSnapshot {
  private constructor(
    private readonly projectDir: string,
    private readonly path: string,
    private readonly key: string,
    private readonly files: string[],
    private readonly stamps: Stamp[],
  ) {}

  /**
   * Stats every input now, before anything reads them. `options` is what else the
   * parse depends on (target, --vars); the tspipe version is added here.
   */
  static take(config: ProjectConfig, files: ProjectFiles, options: unknown): ProjectSnapshot {
    const takenAt = Date.now();
    const paths = [config.configFile, ...Object.values(files).flat()];
    const stamps = paths.map((file) => stampOf(join(config.projectDir, file), takenAt));
    const key = hashJson([FORMAT, TSPIPE_VERSION, config.projectDir, options]);
    const path = join(config.projectDir, config.targetPath, 'project_snapshot.json');
    return new ProjectSnapshot(config.projectDir, path, key, paths, stamps);
  }

  private get bodyPath(): string {
    return this.path.replace(/\.json$/, '_body.json');
  }

  /** What the last parse found, when none of its inputs changed since. */
  reuse(env: Record<string, string | undefined>): RestoredSnapshot | undefined {
    const previous = readCacheFile<SnapshotHead>(this.path, FORMAT);
    if (!previous || previous.key !== this.key || !sameList(previous.files, this.files)) return undefined;
    const hashNow = (i: number) => () => contentHash(join(this.projectDir, this.files[i]!));
    if (!previous.stamps.every((stamp, i) => sameStamp(stamp, this.stamps[i]!, hashNow(i)))) return undefined;
    for (const [name, seen] of Object.entries(previous.env)) if ((env[name] ?? null) !== seen) return undefined;
    // Files racy then and settled now were just hashed: their plain stamps spare the next runs that work.
    const settled = previous.stamps.some((stamp, i) => stamp?.[4] !== undefined && this.stamps[i]?.[4] === undefined);
    if (settled) writeCacheFile(this.path, FORMAT, { ...previous, stamps: this.stamps });
    const { projectKey, inputsKey, manifestKey, counts, bodyId } = previous;
    const warnings = (previous.warnings ?? []).map((w) => new ProjectError(w.message, { ...w.location, hint: w.hint }));
    const body = () => {
      const read = readCacheFile<SnapshotBody>(this.bodyPath, BODY_FORMAT);
      return read?.bodyId === bodyId ? read : undefined;
    };
    return { projectKey, inputsKey, manifestKey, envRead: previous.env, counts, warnings, body };
  }

  /** Keeps this parse for the next command: the body first, then the head that names it. */
  save(manifest: Manifest, keys: SnapshotKeys, env: Record<string, string | null>, order: string[], warnings: TspipeError[]): void {
    if (this.stamps.includes(null) || !templateValuesArePlain(manifest)) return;
    const bodyId = randomUUID();
    const body: SnapshotBody = { bodyId, manifest, order };
    writeCacheFile(this.bodyPath, BODY_FORMAT, body);
    const { projectKey, inputsKey, manifestKey } = keys;
    const head: SnapshotHead = {
      key: this.key,
      files: this.files,
      stamps: this.stamps,
      env,
      projectKey,
      inputsKey,
      manifestKey,
      counts: countNodes(manifest),
      warnings: warnings.map((w) => ({ message: w.message, location: w.location, hint: w.hint })),
      bodyId,
    };
    writeCacheFile(this.path, FORMAT, head);
  }
}

/**
 * Template output reaches the manifest only through config() and test arguments; a
 * value there that JSON cannot hold as it is (a macro's SafeString, a relation) would
 * come back changed, so such a manifest is not kept. The rest is strings from files.
 */
function templateValuesArePlain(manifest: Manifest): boolean {
  return Object.values(manifest.nodes).every((node) => isPlainJson(node.config) && (node.resourceType !== 'test' || isPlainJson(node.testMetadata ?? null)));
}

export function countNodes(manifest: Manifest): NodeCounts {
  // The project's and its packages' macros; tspipe's global ones are not the user's to count.
  const macros = Object.values(manifest.macros).filter((m) => m.packageName !== 'dbt').length;
  const counts: NodeCounts = { model: 0, seed: 0, snapshot: 0, test: 0, source: Object.keys(manifest.sources).length, macro: macros };
  for (const node of Object.values(manifest.nodes)) counts[node.resourceType]++;
  return counts;
}

function stampOf(path: string, now: number): Stamp {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return null;
  const racy = stat.ctimeMs >= now - RACY_MS || stat.mtimeMs >= now - RACY_MS;
  return racy ? [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, contentHash(path)] : [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
}

function contentHash(path: string): string | undefined {
  try {
    return hashText(readFileSync(path, 'latin1'));
  } catch {
    return undefined;
  }
}

/** `previous` from the snapshot, `now` taken this run: a file that was racy must also hash the same. */
function sameStamp(previous: Stamp, now: Stamp, hashNow: () => string | undefined): boolean {
  if (previous === null || now === null) return false;
  if (previous[0] !== now[0] || previous[1] !== now[1] || previous[2] !== now[2] || previous[3] !== now[3]) return false;
  return previous[4] === undefined || previous[4] === (now[4] ?? hashNow());
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
