/**
 * Runs one compiled test on a session: counts the failing rows
 * (`select count(*) from (<sql>)`), fetches the first few when it does not pass,
 * and with store_failures replaces the test's own relation with them (failure-tables.ts).
 * SQL errors become an `error` outcome pointing at the compiled file and line.
 */
import { isTransientError, quoteIdentifier, type DbAdapter, type DbSession } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { DatabaseError, TspipeError } from '../errors.js';
import type { ArtifactWriter } from '../execute/artifact-writer.js';
import type { TestNode } from '../parse/manifest.js';
import { WarehouseSession } from '../context/warehouse.js';
import { compileTestWithDatabase, type CompiledTest, type TestCompileContext } from './compile-test.js';
import { replaceFailures } from './failure-tables.js';
import { failureStorage, readTestConfig, testStatus, type Severity, type TestConfig } from './test-config.js';

export const SAMPLE_ROWS = 5;

export type TestStatus = 'pass' | 'warn' | 'fail' | 'error';

export interface TestOutcome {
  uniqueId: string;
  name: string;
  status: TestStatus;
  severity: Severity;
  /** fail_calc over the failing rows (their count by default); undefined when the test errored. */
  failures?: number;
  /** `Got 3 failing rows, configured to fail if != 0`, or the error. */
  message?: string;
  where?: string;
  hint?: string;
  /** target/compiled/... path, when an ArtifactWriter was given. */
  compiledPath?: string;
  sql?: string;
  /** The first failing rows (up to SAMPLE_ROWS), for a test that did not pass. */
  failingRows: Record<string, unknown>[];
  columns: string[];
  /** schema.table holding all failing rows (store_failures). */
  storedIn?: string;
  /** When it ran, for a test run inside another node (a build's audit), reported later. */
  ran?: { startedAt: Date; completedAt: Date };
}

export interface RunTestOptions {
  /** Writes target/compiled/<yml or sql path>/<name>.sql. */
  artifacts?: ArtifactWriter;
  /** --store-failures: keep the failing rows of every test whose config does not say otherwise. */
  storeFailuresFlag?: boolean;
  /** A view would read a relation that is gone once the run is over (a build's staged table): keep a table. */
  storeViewsAsTables?: boolean;
  sampleRows?: number;
}

/** Never throws for a failing or broken test: the outcome says what happened. */
export async function runTest(session: DbSession, test: TestNode, context: TestCompileContext, options: RunTestOptions = {}): Promise<TestOutcome> {
  const config = readTestConfig(test.config);
  const base = { uniqueId: test.uniqueId, name: test.name, severity: config.severity, failingRows: [], columns: [] };
  let compiled: CompiledTest | undefined;
  let compiledPath: string | undefined;
  try {
    compiled = await compileTestWithDatabase(test, context, new WarehouseSession(session));
    compiledPath = options.artifacts?.writeCompiled(compiled.file, compiled.sql);
    const configured = failureStorage(config, options.storeFailuresFlag);
    const store = configured === 'view' && options.storeViewsAsTables ? 'table' : configured;
    const measured = store ? await storeAndMeasure(session, test, compiled.sql, store, config, options) : await measure(session, compiled.sql, config, options);
    const status = testStatus(measured.failures, config);
    return {
      ...base,
      ...measured,
      failingRows: status === 'pass' ? [] : measured.failingRows,
      status,
      message: status === 'pass' ? undefined : failureMessage(measured.failures, status, config),
      compiledPath,
      sql: compiled.sql,
      storedIn: store ? Relation.of(test.relation).display : undefined,
    };
  } catch (error) {
    // Transient errors (a dropped connection) are the caller's to retry.
    if (!(error instanceof TspipeError) || isTransientError(error)) throw error;
    return {
      ...base,
      status: 'error',
      message: error.message,
      hint: error.hint,
      where: locate(error, compiledPath) ?? test.originalFilePath,
      compiledPath,
      sql: compiled?.sql,
    };
  }
}

interface Measured {
  failures: number;
  failingRows: Record<string, unknown>[];
  columns: string[];
}

async function measure(session: DbSession, sql: string, config: TestConfig, options: RunTestOptions): Promise<Measured> {
  const failures = await countFailures(session, `(\n${sql}\n) dbt_internal_test`, config);
  if (testStatus(failures, config) === 'pass') return { failures, failingRows: [], columns: [] };
  return sample(session, `(\n${sql}\n) dbt_internal_test`, failures, options);
}

/** Replaced each run, in one transaction when the session allows, so readers never see it missing. */
async function storeAndMeasure(
  session: DbSession,
  test: TestNode,
  sql: string,
  storage: 'table' | 'view',
  config: TestConfig,
  options: RunTestOptions,
): Promise<Measured> {
  const table = Relation.of(test.relation).toString();
  const work = async (s: DbSession) => {
    await replaceFailures(s, test.relation, sql, storage);
    const failures = await countFailures(s, table, config);
    return sample(s, table, failures, options);
  };
  return isAdapter(session) ? session.transaction(work) : work(session);
}

async function countFailures(session: DbSession, from: string, config: TestConfig): Promise<number> {
  const { rows } = await session.query<{ failures: unknown }>(`select ${config.failCalc} as failures from ${from}`);
  const value = rows[0]?.failures;
  return value === null || value === undefined ? 0 : Number(value);
}

async function sample(session: DbSession, from: string, failures: number, options: RunTestOptions): Promise<Measured> {
  const { rows, fields } = await session.query(`select * from ${from} limit ${options.sampleRows ?? SAMPLE_ROWS}`);
  return { failures, failingRows: rows, columns: fields.map((f) => f.name) };
}

function failureMessage(failures: number, status: TestStatus, config: TestConfig): string {
  const rows = `Got ${failures} failing row${failures === 1 ? '' : 's'}`;
  return status === 'fail' ? `${rows}, configured to fail if ${config.errorIf.text}` : `${rows}, configured to warn if ${config.warnIf.text}`;
}

/** A database error's line in the wrapped statement → the line in the compiled file (one line of wrapping). */
function locate(error: TspipeError, compiledPath: string | undefined): string | undefined {
  if (!compiledPath) return undefined;
  const line = error instanceof DatabaseError ? error.location.line : undefined;
  return line !== undefined && line > 1 ? `${compiledPath}:${line - 1}` : compiledPath;
}

function isAdapter(session: DbSession): session is DbAdapter {
  return typeof (session as Partial<DbAdapter>).transaction === 'function';
}

/** Schemas store_failures writes to, created once before tests run in parallel. */
export async function prepareFailureSchemas(session: DbSession, tests: TestNode[], storeFailuresFlag?: boolean): Promise<void> {
  const schemas = new Set(tests.filter((t) => storesFailures(t, storeFailuresFlag)).map((t) => t.relation.schema));
  for (const schema of [...schemas].sort()) await session.query(`create schema if not exists ${quoteIdentifier(schema)}`);
}

/** Whether running this test writes its failures relation (unit tests never do). */
export function storesFailures(test: TestNode, storeFailuresFlag: boolean | undefined): boolean {
  return test.testType !== 'unit' && failureStorage(readTestConfig(test.config), storeFailuresFlag) !== undefined;
}
