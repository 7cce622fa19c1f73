/**
 * A new PGlite database costs an initdb: seconds of WebAssembly that block the event
 * loop (a unit test's scratch database stalled every node running beside it). Its
 * result is the same for every database of one PGlite version, so the first initdb is
 * kept as a tarball in the user's cache, and later new databases (a project's first
 * `.tspipe/`, each run's in-memory scratch database) start from it, which is several
 * times faster. Any trouble with the cache falls back to a plain initdb.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/** $TSPIPE_CACHE_DIR, else $XDG_CACHE_HOME/tspipe, else ~/.cache/tspipe. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TSPIPE_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tspipe');
}

let installedVersion: string | undefined;

/** The installed PGlite's version (its package.json is not exported, so found beside its entry point). */
function pgliteVersion(): string {
  if (installedVersion) return installedVersion;
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  installedVersion = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  return installedVersion;
}

export function templatePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), `pglite-${pgliteVersion()}-initdb.tar`);
}

/** The cached initdb tarball, or undefined when there is none yet (or it cannot be read). */
export function readTemplate(): Blob | undefined {
  try {
    return new Blob([readFileSync(templatePath())]);
  } catch {
    return undefined;
  }
}

/** Keeps a freshly initialised database as the template; written whole or not at all. */
export async function saveTemplate(db: PGlite): Promise<void> {
  try {
    const file = templatePath();
    if (existsSync(file)) return;
    await db.exec('checkpoint');
    const tarball = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, tarball);
    renameSync(partial, file);
  } catch {
    // A read-only or full cache only costs the next database its initdb.
  }
}

/** Forgets a template PGlite could not load, so the next database makes a good one. */
export function dropTemplate(): void {
  rmSync(templatePath(), { force: true });
}
