/**
 * package-lock.yml, in dbt's format so that `dbt deps` and `tspipe deps` share it:
 * the pinned packages (transitive ones included) and `sha1_hash`, dbt's hash of the
 * package specs it was resolved from. A lock whose hash matches is installed as is.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { PackageSpec } from './package-specs.js';
import { pythonJsonDumps } from './python-json.js';

export const LOCK_FILE = 'package-lock.yml';

/** One installed package as the lock records it. */
export type LockedPackage =
  | { package: string; version: string; name?: string }
  | { git: string; revision: string; subdirectory?: string; name?: string }
  | { local: string; name?: string }
  | { tarball: string; name: string };

export interface LockFile {
  packages: LockedPackage[];
  sha1_hash: string;
}

export function readLockFile(projectDir: string): LockFile | undefined {
  const path = join(projectDir, LOCK_FILE);
  if (!existsSync(path)) return undefined;
  const value = parse(readFileSync(path, 'utf8')) as Partial<LockFile> | null;
  if (!value || !Array.isArray(value.packages) || typeof value.sha1_hash !== 'string') return undefined;
  return { packages: value.packages, sha1_hash: value.sha1_hash };
}

export function writeLockFile(projectDir: string, lock: LockFile): void {
  const path = join(projectDir, LOCK_FILE);
  writeFileSync(`${path}.tmp`, stringify(lock));
  renameSync(`${path}.tmp`, path);
}

/**
 * dbt's `_create_sha1_hash`: each spec as its contract's to_dict() (every field, defaults
 * included, plus the unrendered entry) dumped by Python's json with sorted keys; the
 * sorted lines joined by newlines, then SHA-1.
 */
export function specsHash(specs: PackageSpec[]): string {
  const lines = specs.map((spec) => pythonJsonDumps(contractDict(spec))).sort();
  return createHash('sha1').update(lines.join('\n')).digest('hex');
}

function contractDict(spec: PackageSpec): Record<string, unknown> {
  const named = spec.name === undefined ? {} : { name: spec.name };
  switch (spec.kind) {
    case 'hub':
      return {
        package: spec.package,
        version: spec.version.length === 1 && !Array.isArray(spec.unrendered.version) ? spec.version[0] : spec.version,
        install_prerelease: spec.install_prerelease ?? false,
        unrendered: spec.unrendered,
        ...named,
      };
    case 'git':
      return {
        git: spec.git,
        revision: spec.revision ?? null,
        'warn-unpinned': spec['warn-unpinned'] ?? null,
        subdirectory: spec.subdirectory ?? null,
        unrendered: spec.unrendered,
        ...named,
      };
    case 'local':
      return { local: spec.local, unrendered: spec.unrendered, ...named };
    case 'tarball':
      return { tarball: spec.tarball, name: spec.name, unrendered: spec.unrendered };
  }
}
