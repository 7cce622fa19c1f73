/**
 * The databases every integration suite runs on (kysely's test-setup style):
 *
 *   for (const db of TEST_DATABASES) describe.skipIf(!db.available)(`${db.name}${db.skipNote}`, () => { ... })
 *
 * PGlite always; PostgreSQL through TSPIPE_TEST_DATABASE_URL (a fresh database per
 * create()), else a testcontainers PostgreSQL when Docker is reachable, else skipped
 * (shown as skipped, never as passed).
 */
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import type { ConnectionSpec, DbAdapter } from '../../src/contract/index.js';

export interface CreatedDatabase {
  spec: ConnectionSpec;
  /** PostgreSQL only: the URL of the fresh database. */
  url?: string;
  /** Drops the database (or removes its folder). Close your adapters first. */
  cleanup(): Promise<void>;
}

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  available: boolean;
  skipReason?: string;
  /** ' (skipped: what to install or set)' when unavailable, for test names; else ''. */
  skipNote: string;
  create(): Promise<CreatedDatabase>;
}

// ---- PGlite ---------------------------------------------------------------------

/** initdb takes ~7 s: build one data directory per PGlite version, copy it per test (~0.2 s). */
let templateDir: Promise<string> | undefined;

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function buildTemplate(): Promise<string> {
  const target = path.join(tmpdir(), `tspipe-pglite-template-${pgliteVersion()}`);
  if (existsSync(path.join(target, 'PG_VERSION'))) return target;
  const building = path.join(tmpdir(), `tspipe-pglite-build-${process.pid}-${randomBytes(4).toString('hex')}`);
  const adapter = await openAdapter({ kind: 'pglite', dataDir: building });
  await adapter.close();
  try {
    await rename(building, target); // atomic: a parallel worker either wins or finds it done
  } catch {
    await rm(building, { recursive: true, force: true });
  }
  return target;
}

const pglite: TestDatabase = {
  name: 'pglite',
  available: true,
  skipNote: '',
  async create() {
    templateDir ??= buildTemplate();
    const root = await mkdtemp(path.join(tmpdir(), 'tspipe-test-pglite-'));
    const dataDir = path.join(root, 'db');
    await cp(await templateDir, dataDir, { recursive: true });
    return {
      spec: { kind: 'pglite', dataDir },
      cleanup: () => rm(root, { recursive: true, force: true }),
    };
  },
};

// ---- PostgreSQL -----------------------------------------------------------------

const envUrl = process.env.TSPIPE_TEST_DATABASE_URL;
const dockerReachable = Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');

/** Started lazily, once per worker; testcontainers' reaper removes it when the worker exits. */
let containerUrl: Promise<string> | undefined;

async function startContainer(): Promise<string> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:15-alpine').start();
  return container.getConnectionUri();
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminExec(adminUrl: string, sql: string): Promise<void> {
  const admin = await openAdapter({ kind: 'postgres', url: adminUrl, maxConnections: 1 });
  try {
    await admin.exec(sql);
  } finally {
    await admin.close();
  }
}

const postgres: TestDatabase = {
  name: 'postgres',
  available: Boolean(envUrl) || dockerReachable,
  skipReason: envUrl || dockerReachable ? undefined : 'set TSPIPE_TEST_DATABASE_URL or make Docker reachable',
  skipNote: envUrl || dockerReachable ? '' : ' (skipped: set TSPIPE_TEST_DATABASE_URL or make Docker reachable)',
  async create() {
    const adminUrl = envUrl ?? (await (containerUrl ??= startContainer()));
    const database = `tspipe_t_${randomBytes(6).toString('hex')}`;
    await adminExec(adminUrl, `CREATE DATABASE "${database}"`);
    const url = withDatabase(adminUrl, database);
    return {
      spec: { kind: 'postgres', url },
      url,
      cleanup: () => adminExec(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    };
  },
};

export const TEST_DATABASES: TestDatabase[] = [pglite, postgres];

/** Creates a database and opens an adapter on it; `done()` closes and cleans up both. */
export async function openTestDatabase(db: TestDatabase): Promise<{ adapter: DbAdapter; created: CreatedDatabase; done(): Promise<void> }> {
  const created = await db.create();
  const adapter = await openAdapter(created.spec);
  return {
    adapter,
    created,
    async done() {
      await adapter.close();
      await created.cleanup();
    },
  };
}
