/**
 * tspipe deps against real sources on this machine: a hub served over HTTP on
 * 127.0.0.1 (DBT_PACKAGE_HUB_URL, as dbt reads it) with real .tar.gz files, a git
 * repository cloned through the git command (file:// URL), and a local folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { c as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackages } from '../../../src/deps/install-packages.js';
import { readLockFile, specsHash } from '../../../src/deps/lock-file.js';
import { readPackageFile } from '../../../src/deps/package-specs.js';
import { writeTempProject } from '../../support/temp-project.js';

const noJinja = (text: string) => {
  throw new Error(`unexpected Jinja: ${text}`);
};

/** A package folder: dbt_project.yml, one macro, optional packages.yml. */
function packageFiles(name: string, version: string, dependsOn = ''): Record<string, string> {
  return {
    'dbt_project.yml': `name: ${name}\nversion: "${version}"\nconfig-version: 2\n`,
    [`macros/${name}_version.sql`]: `{% macro ${name}_version() %}${version}{% endmacro %}\n`,
    ...(dependsOn ? { 'packages.yml': dependsOn } : {}),
  };
}

function writeFolder(root: string, files: Record<string, string>): string {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

let hub: Server;
let hubUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'tspipe-hub-'));
  // Two versions of acme/base_utils, one of acme/extras (which needs base_utils <1.1.0).
  const tarballs: Record<string, string> = {};
  const published = [
    ['acme/base_utils', 'base_utils', '1.0.0', ''],
    ['acme/base_utils', 'base_utils', '1.1.0', ''],
    ['acme/extras', 'extras', '0.3.0', 'packages:\n  - package: acme/base_utils\n    version: [">=1.0.0", "<1.1.0"]\n'],
  ] as const;
  for (const [, name, version, deps] of published) {
    const folder = `${name}-${version}`;
    writeFolder(path.join(work, folder), packageFiles(name, version, deps));
    const file = path.join(work, `${folder}.tar.gz`);
    await createTar({ gzip: true, file, cwd: work }, [folder]);
    tarballs[`/tarballs/${folder}.tar.gz`] = file;
  }
  hub = createServer((req, res) => {
    requests.push(req.url ?? '');
    const tarball = tarballs[req.url ?? ''];
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(readFileSync(tarball));
      return;
    }
    const match = /^\/api\/v1\/(.+)\.json$/.exec(req.url ?? '');
    const versions = published.filter(([pkg]) => pkg === match?.[1]);
    if (!versions.length) {
      res.writeHead(404).end();
      return;
    }
    const body = {
      name: versions[0]![1],
      versions: Object.fromEntries(
        versions.map(([, name, version]) => [version, { name, packages: [], downloads: { tarball: `${hubUrl}tarballs/${name}-${version}.tar.gz` } }]),
      ),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => hub.close(() => resolve())));

function install(projectDir: string, extra: Partial<Parameters<typeof installPackages>[0]> = {}) {
  return installPackages({ projectDir, installPath: 'dbt_packages', render: noJinja, env: { DBT_PACKAGE_HUB_URL: hubUrl }, ...extra });
}

describe('tspipe deps', () => {
  it('resolves hub packages with their dependencies, merging version ranges, and writes the lock', async () => {
    const dir = writeTempProject({
      'dbt_project.yml': 'name: shop\n',
      'packages.yml': 'packages:\n  - package: acme/extras\n    version: 0.3.0\n  - package: acme/base_utils\n    version: [">=1.0.0", "<2.0.0"]\n',
    });
    const outcome = await install(dir);
    expect(outcome.installed.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['base_utils@1.0.0', 'extras@0.3.0']);
    expect(readFileSync(path.join(dir, 'dbt_packages/base_utils/macros/base_utils_version.sql'), 'utf8')).toContain('1.0.0');
    const lock = readLockFile(dir)!;
    expect(lock.packages).toEqual(
      expect.arrayContaining([
        { package: 'acme/extras', version: '0.3.0', name: 'extras' },
        { package: 'acme/base_utils', version: '1.0.0', name: 'base_utils' },
      ]),
    );
    expect(lock.sha1_hash).toBe(specsHash(readPackageFile(dir, noJinja)!.specs));
  });

  it('installs a matching lock as it stands, without asking the hub which versions exist', async () => {
    const dir = writeTempProject({
      'dbt_project.yml': 'name: shop\n',
      'packages.yml': 'packages:\n  - package: acme/base_utils\n    version: [">=1.0.0"]\n',
    });
    await install(dir);
    expect(readLockFile(dir)!.packages).toEqual([{ package: 'acme/base_utils', version: '1.1.0', name: 'base_utils' }]);
    // Pin an older version by hand: a lock with the same hash wins over resolving again.
    const lockPath = path.join(dir, 'package-lock.yml');
    writeFileSync(lockPath, readFileSync(lockPath, 'utf8').replace('1.1.0', '1.0.0'));
    const outcome = await install(dir);
    expect(outcome.fromLock).toBe(true);
    expect(readFileSync(path.join(dir, 'dbt_packages/base_utils/macros/base_utils_version.sql'), 'utf8')).toContain('1.0.0');
    const upgraded = await install(dir, { upgrade: true });
    expect(upgraded.installed[0]!.version).toBe('1.1.0');
  });

  it('computes the lock hash exactly as dbt-core 1.11 does', () => {
    // dbt-core's own package-lock.yml for `packages: [{local: ../}]` (dbt-utils' integration tests).
    const dir = writeTempProject({ 'dbt_project.yml': 'name: x\n', 'packages.yml': 'packages:\n    - local: ../\n' });
    expect(specsHash(readPackageFile(dir, noJinja)!.specs)).toBe('de2deba3d66ce03d8c02949013650cc9b94f6030');
  });

  it('clones git packages at a tag, records the commit, and links local packages', async () => {
    const repo = writeFolder(mkdtempSync(path.join(tmpdir(), 'tspipe-git-')), packageFiles('git_utils', '2.0.0'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' })
        .toString()
        .trim();
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'v2');
    git('tag', 'v2.0.0');
    const sha = git('rev-parse', 'HEAD');
    const local = writeFolder(mkdtempSync(path.join(tmpdir(), 'tspipe-local-')), packageFiles('local_utils', '0.1.0'));
    const dir = writeTempProject({
      'dbt_project.yml': 'name: shop\n',
      'packages.yml': `packages:\n  - git: "file://${repo}"\n    revision: v2.0.0\n  - local: ${path.relative(tmpdir(), local)}\n`.replace(
        path.relative(tmpdir(), local),
        path.join('..', path.relative(tmpdir(), local)),
      ),
    });
    const outcome = await install(dir);
    expect(outcome.installed.map((p) => p.name).sort()).toEqual(['git_utils', 'local_utils']);
    expect(existsSync(path.join(dir, 'dbt_packages/git_utils/dbt_project.yml'))).toBe(true);
    expect(existsSync(path.join(dir, 'dbt_packages/git_utils/.git'))).toBe(false);
    expect(lstatSync(path.join(dir, 'dbt_packages/local_utils')).isSymbolicLink()).toBe(true);
    expect(path.resolve(path.join(dir, 'dbt_packages'), readlinkSync(path.join(dir, 'dbt_packages/local_utils')))).toBe(local);
    expect(readLockFile(dir)!.packages).toContainEqual({ git: `file://${repo}`, revision: sha, name: 'git_utils' });
  });

  it('says which host it could not reach and what to do when the network is down', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dir = writeTempProject({ 'dbt_project.yml': 'name: shop\n', 'packages.yml': 'packages:\n  - package: acme/base_utils\n    version: 1.0.0\n' });
    const failure = install(dir, { env: { DBT_PACKAGE_HUB_URL: `http://127.0.0.1:${port}/` } });
    await expect(failure).rejects.toThrow(`package acme/base_utils: could not reach 127.0.0.1:${port} (ECONNREFUSED)`);
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('DBT_PACKAGE_HUB_URL') });
    expect(existsSync(path.join(dir, 'dbt_packages/base_utils'))).toBe(false);
  });

  it('reports a version no release satisfies, with the versions there are', async () => {
    const dir = writeTempProject({ 'dbt_project.yml': 'name: shop\n', 'packages.yml': 'packages:\n  - package: acme/base_utils\n    version: ">=3.0.0"\n' });
    await expect(install(dir)).rejects.toMatchObject({
      message: 'package acme/base_utils: no version satisfies >=3.0.0',
      hint: expect.stringContaining('1.0.0, 1.1.0'),
    });
  });

  it('names the file and line of a malformed entry', () => {
    const dir = writeTempProject({
      'dbt_project.yml': 'name: shop\n',
      'packages.yml': 'packages:\n  - package: acme/base_utils\n  - git: x\n    revison: v1\n',
    });
    let errors: { message: string; location: { file?: string; line?: number } }[] = [];
    try {
      readPackageFile(dir, noJinja);
    } catch (error) {
      errors = (error as { errors: typeof errors }).errors;
    }
    expect(errors.map((e) => [e.location.file, e.location.line, e.message])).toEqual([
      ['packages.yml', 2, 'packages[0]: version is required'],
      ['packages.yml', 3, 'packages[1]: unknown key "revison"'],
    ]);
  });
});
