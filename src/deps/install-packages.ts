/**
 * `tspipe deps`: resolve the project's packages (transitive ones too, hub version
 * ranges merged as dbt does), install each under dbt_packages/<name> (local packages
 * as a symlink, as dbt does), and write package-lock.yml. A lock made from the same
 * specs is installed as it stands, without resolving again.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ProjectError } from '../errors.js';
import { fetchPackage, type FetchContext, type FetchedPackage } from './fetch-package.js';
import { hubBaseUrl } from './hub.js';
import { readLockFile, specsHash, writeLockFile, type LockedPackage } from './lock-file.js';
import { describeSpec, readPackageFile, type PackageSpec, type RenderString } from './package-specs.js';

export interface InstallOptions {
  projectDir: string;
  /** packages-install-path of the project, relative to it (default dbt_packages). */
  installPath: string;
  render: RenderString;
  /** Resolve again even when the lock matches (dbt deps --upgrade). */
  upgrade?: boolean;
  /** Only resolve and write the lock (dbt deps --lock). */
  lockOnly?: boolean;
  env?: NodeJS.ProcessEnv;
  onProgress?(message: string): void;
  onWarn?(message: string): void;
}

export interface InstallOutcome {
  /** packages.yml or dependencies.yml; undefined when the project has none. */
  file?: string;
  installed: { name: string; source: string; version: string; linked: boolean }[];
  /** The lock matched the specs and was installed as it stood. */
  fromLock: boolean;
}

export async function installPackages(options: InstallOptions): Promise<InstallOutcome> {
  const packageFile = readPackageFile(options.projectDir, options.render);
  if (!packageFile || packageFile.specs.length === 0) return { file: packageFile?.file, installed: [], fromLock: false };
  const downloads = mkdtempSync(join(tmpdir(), 'tspipe-deps-'));
  const context: FetchContext = {
    downloads,
    hubUrl: hubBaseUrl(options.env),
    render: options.render,
    warn: (message) => options.onWarn?.(message),
  };
  try {
    const hash = specsHash(packageFile.specs);
    const lock = options.upgrade ? undefined : readLockFile(options.projectDir);
    const fromLock = lock?.sha1_hash === hash;
    const fetched = fromLock ? await fetchLocked(lock!.packages, packageFile.file, options, context) : await resolve(packageFile.specs, options, context);
    if (!fromLock) writeLockFile(options.projectDir, { packages: fetched.map((p) => p.pin), sha1_hash: hash });
    if (options.lockOnly) return { file: packageFile.file, installed: [], fromLock };
    const installDir = join(options.projectDir, options.installPath);
    mkdirSync(installDir, { recursive: true });
    for (const pkg of fetched) install(pkg, installDir);
    return {
      file: packageFile.file,
      fromLock,
      installed: fetched.map((p) => ({ name: p.name, source: describeSpec(p.spec), version: versionOf(p.pin), linked: p.linked })),
    };
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
}

/** Fixed point: fetch, read each package's own specs, merge, until nothing new appears. */
async function resolve(rootSpecs: PackageSpec[], options: InstallOptions, context: FetchContext): Promise<FetchedPackage[]> {
  const specsByKey = new Map<string, PackageSpec[]>();
  const fetchedByKey = new Map<string, { ranges: string; pkg: FetchedPackage }>();
  let pending = rootSpecs;
  for (let round = 0; pending.length; round++) {
    if (round > 50)
      throw new ProjectError('package dependencies do not settle after 50 rounds', {
        hint: 'look for packages that require each other with conflicting versions',
      });
    for (const spec of pending) specsByKey.set(keyOf(spec), [...(specsByKey.get(keyOf(spec)) ?? []), spec]);
    pending = [];
    for (const [key, specs] of specsByKey) {
      const ranges = specs
        .flatMap((s) => (s.kind === 'hub' ? s.version : []))
        .sort()
        .join(' ');
      if (fetchedByKey.get(key)?.ranges === ranges) continue;
      checkConsistent(specs);
      options.onProgress?.(`resolving ${describeSpec(specs[0]!)}`);
      const pkg = await fetchPackage(specs[0]!, context, specs[0]!.kind === 'hub' ? specs.flatMap((s) => (s.kind === 'hub' ? s.version : [])) : undefined);
      const isNew = !fetchedByKey.has(key);
      fetchedByKey.set(key, { ranges, pkg });
      if (isNew) pending.push(...pkg.dependencies);
    }
  }
  const fetched = [...fetchedByKey.values()].map((entry) => entry.pkg);
  checkUniqueNames(fetched);
  return fetched;
}

async function fetchLocked(locked: LockedPackage[], file: string, options: InstallOptions, context: FetchContext): Promise<FetchedPackage[]> {
  const fetched: FetchedPackage[] = [];
  for (const pin of locked) {
    const base = { unrendered: pin as Record<string, unknown>, file, baseDir: options.projectDir };
    const spec: PackageSpec =
      'package' in pin
        ? { ...base, kind: 'hub', package: pin.package, version: [pin.version] }
        : 'git' in pin
          ? { ...base, kind: 'git', git: pin.git, revision: pin.revision, subdirectory: pin.subdirectory, 'warn-unpinned': false }
          : 'local' in pin
            ? { ...base, kind: 'local', local: pin.local }
            : { ...base, kind: 'tarball', tarball: pin.tarball, name: pin.name };
    options.onProgress?.(`installing ${describeSpec(spec)} from ${'package-lock.yml'}`);
    fetched.push(await fetchPackage(spec, context));
  }
  checkUniqueNames(fetched);
  return fetched;
}

function keyOf(spec: PackageSpec): string {
  switch (spec.kind) {
    case 'hub':
      return `hub:${spec.package.toLowerCase()}`;
    case 'git':
      return `git:${spec.git.replace(/\.git$/, '')}#${spec.subdirectory ?? ''}`;
    case 'local':
      return `local:${join(spec.baseDir, spec.local)}`;
    case 'tarball':
      return `tarball:${spec.tarball}`;
  }
}

function checkConsistent(specs: PackageSpec[]): void {
  const revisions = new Set(specs.flatMap((s) => (s.kind === 'git' ? [s.revision ?? 'HEAD'] : [])));
  if (revisions.size > 1) {
    const first = specs[0]!;
    throw new ProjectError(`git package ${describeSpec(first)} is required at different revisions: ${[...revisions].join(', ')}`, {
      file: first.file,
      line: first.line,
      hint: 'require one revision everywhere it is listed',
    });
  }
}

function checkUniqueNames(fetched: FetchedPackage[]): void {
  const byName = new Map<string, FetchedPackage>();
  for (const pkg of fetched) {
    const other = byName.get(pkg.name);
    if (other) {
      throw new ProjectError(`two packages are both named "${pkg.name}": ${describeSpec(other.spec)} and ${describeSpec(pkg.spec)}`, {
        file: pkg.spec.file,
        line: pkg.spec.line,
        hint: 'keep one of them in packages.yml',
      });
    }
    byName.set(pkg.name, pkg);
  }
}

/** Into place in one rename, so an interrupted install never leaves half a package. */
function install(pkg: FetchedPackage, installDir: string): void {
  const target = join(installDir, pkg.name);
  const staging = `${target}.tspipe-tmp`;
  rmSync(staging, { recursive: true, force: true });
  if (pkg.linked) symlinkSync(relative(dirname(target), pkg.dir) || '.', staging, 'dir');
  else cpSync(pkg.dir, staging, { recursive: true, filter: (source) => !source.split(/[\\/]/).includes('.git') });
  if (existsSync(target) || isSymlink(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function versionOf(pin: LockedPackage): string {
  if ('version' in pin) return pin.version;
  if ('revision' in pin) return pin.revision.slice(0, 12);
  return 'local' in pin ? 'local' : 'tarball';
}
