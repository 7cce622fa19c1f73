/**
 * Brings one package spec to a folder on disk and reads what it is: its project name
 * (from its dbt_project.yml), the pin the lock file records, and its own package
 * specs (transitive dependencies). Git through the `git` command, hub and tarball
 * packages as .tar.gz downloads.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { x as extractTar } from 'tar';
import { ProjectError } from '../errors.js';
import { readYamlFile } from '../config/yaml-file.js';
import { hubVersions, pickVersion } from './hub.js';
import type { LockedPackage } from './lock-file.js';
import { downloadFile } from './network.js';
import { readPackageFile, type GitSpec, type PackageSpec, type RenderString } from './package-specs.js';

const run = promisify(execFile);

export interface FetchedPackage {
  spec: PackageSpec;
  /** The package's root folder (its dbt_project.yml). */
  dir: string;
  /** Its `name:` in dbt_project.yml: the folder name under dbt_packages/. */
  name: string;
  /** Local packages are linked, not copied. */
  linked: boolean;
  pin: LockedPackage;
  dependencies: PackageSpec[];
}

export interface FetchContext {
  /** Scratch folder for downloads, removed by the caller. */
  downloads: string;
  hubUrl: string;
  render: RenderString;
  warn(message: string): void;
}

/** Hub version ranges merged over every spec naming the package (dbt's incorporate). */
export async function fetchPackage(spec: PackageSpec, context: FetchContext, hubRanges?: string[]): Promise<FetchedPackage> {
  switch (spec.kind) {
    case 'local': {
      const dir = resolve(spec.baseDir, spec.local);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new ProjectError(`local package ${spec.local}: ${dir} is not a folder`, {
          file: spec.file,
          line: spec.line,
          hint: 'fix the path (it is relative to the project that declares it)',
        });
      }
      return describe(spec, dir, true, { local: spec.local }, context);
    }
    case 'git':
      return fetchGit(spec, context);
    case 'hub': {
      const versions = await hubVersions(spec.package, context.hubUrl);
      const chosen = pickVersion(spec.package, hubRanges ?? spec.version, versions, spec.install_prerelease ?? false);
      const dir = await downloadAndExtract(chosen.tarballUrl, context, `package ${spec.package} ${chosen.version}`);
      return describe(spec, dir, false, { package: spec.package, version: chosen.version }, context);
    }
    case 'tarball': {
      const dir = await downloadAndExtract(spec.tarball, context, `package ${spec.name}`);
      return describe(spec, dir, false, { tarball: spec.tarball, name: spec.name }, context);
    }
  }
}

async function fetchGit(spec: GitSpec, context: FetchContext): Promise<FetchedPackage> {
  const checkout = mkdtempSync(join(context.downloads, 'git-'));
  const git = (args: string[]) =>
    run('git', args, { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stderr?: string; message: string }) => {
        const detail = (error.stderr || error.message).trim().split('\n').slice(-2).join(' ');
        throw new ProjectError(`git package ${spec.git}: ${detail}`, {
          file: spec.file,
          line: spec.line,
          hint: /resolve host|unable to access|Could not read|timed out/i.test(detail)
            ? 'tspipe deps needs the network to clone it: check the connection, or install the package from a folder with "local:"'
            : 'check the URL and the revision (a tag, branch or commit) in packages.yml',
        });
      },
    );
  // Shallow, as dbt clones: a branch or tag directly, a commit by fetching just it.
  const isCommit = spec.revision !== undefined && /^[0-9a-f]{40}$/.test(spec.revision);
  const branch = spec.revision !== undefined && !isCommit && spec.revision !== 'HEAD' ? ['--branch', spec.revision] : [];
  await git(['clone', '--quiet', '--depth', '1', ...branch, spec.git, checkout]);
  if (isCommit) {
    await git(['-C', checkout, 'fetch', '--quiet', '--depth', '1', 'origin', spec.revision!]);
    await git(['-C', checkout, 'checkout', '--quiet', spec.revision!]);
  }
  const sha = (await git(['-C', checkout, 'rev-parse', 'HEAD'])).stdout.trim();
  if (spec['warn-unpinned'] !== false && (spec.revision === undefined || !/^[0-9a-f]{40}$/.test(spec.revision))) {
    const isTag = spec.revision !== undefined && (await git(['-C', checkout, 'tag', '--list', spec.revision])).stdout.trim() !== '';
    if (!isTag)
      context.warn(
        `the git package ${spec.git} is not pinned to a tag or commit (${spec.revision ?? 'default branch'}): set revision: ${sha} in packages.yml to get the same code every time`,
      );
  }
  const dir = spec.subdirectory ? join(checkout, spec.subdirectory) : checkout;
  const pin = { git: spec.git, revision: sha, ...(spec.subdirectory ? { subdirectory: spec.subdirectory } : {}) };
  return describe(spec, dir, false, pin, context);
}

async function downloadAndExtract(url: string, context: FetchContext, what: string): Promise<string> {
  const folder = mkdtempSync(join(context.downloads, 'tar-'));
  const archive = `${folder}.tar.gz`;
  await downloadFile(url, archive, what);
  try {
    // Hub tarballs hold one top folder (e.g. dbt-utils-1.3.0/): strip it.
    await extractTar({ file: archive, cwd: folder, strip: 1 });
  } catch (error) {
    throw new ProjectError(`${what}: ${url} is not a readable .tar.gz (${(error as Error).message})`, { cause: error });
  }
  return folder;
}

function describe(spec: PackageSpec, dir: string, linked: boolean, pin: LockedPackage, context: FetchContext): FetchedPackage {
  const projectFile = join(dir, 'dbt_project.yml');
  if (!existsSync(projectFile)) {
    throw new ProjectError(
      `package ${spec.kind === 'hub' ? spec.package : spec.kind === 'local' ? spec.local : spec.kind === 'git' ? spec.git : spec.tarball} has no dbt_project.yml`,
      {
        file: spec.file,
        line: spec.line,
        hint:
          spec.kind === 'git'
            ? 'if the project is in a subfolder of the repository, add subdirectory: <folder>'
            : 'point the entry at the folder holding dbt_project.yml',
      },
    );
  }
  const project = readYamlFile(projectFile, projectFile).value as { name?: unknown } | null;
  if (typeof project?.name !== 'string') throw new ProjectError(`${projectFile} has no name:`, { hint: 'a package needs a name in its dbt_project.yml' });
  const name = project.name;
  const own = readPackageFile(dir, context.render);
  return { spec, dir, name, linked, pin: { ...pin, name }, dependencies: (own?.specs ?? []).map((s) => ({ ...s, baseDir: dir })) };
}
