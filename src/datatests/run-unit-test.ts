/**
 * One dbt unit test: the model rendered with each ref()/source() (and `this`) replaced
 * by its fixture as a CTE, the overrides applied, then its rows compared with the
 * expected rows as multisets, on the columns the expectation names. Runs in a
 * transaction that is rolled back: it leaves nothing behind.
 */
import { templateRelation } from '../compile/compile-model.js';
import { injectCtes, stripTrailingSemicolon, type Cte } from '../compile/inject-ctes.js';
import { quoteIdentifier, type DbAdapter, type DbSession } from '../contract/index.js';
import { DbtRelation } from '../context/relation.js';
import { WarehouseSession } from '../context/warehouse.js';
import { ProjectError, TspipeError } from '../errors.js';
import type { ModelNode, TestNode } from '../parse/manifest.js';
import { nodeDict } from '../parse/node-dict.js';
import type { RenderHooks } from '../parse/render-hooks.js';
import type { TestOutcome } from './run-test.js';
import { columnsOf, inputColumns, type InputContext, type UnitTestDatabase } from './unit-test-inputs.js';
import { fixtureColumnNames, fixtureSql, type FixtureColumn } from './unit-test-fixtures.js';
import { inputNodeId, parseUnitTestInput } from './unit-test-nodes.js';

export interface UnitTestContext extends InputContext {
  database: UnitTestDatabase & { session: DbAdapter };
}

const ACTUAL = '__tspipe_unit_actual';

export async function runUnitTest(test: TestNode, context: UnitTestContext): Promise<TestOutcome> {
  const base = { uniqueId: test.uniqueId, name: test.name, severity: 'error' as const, failingRows: [], columns: [] };
  let sql: string | undefined;
  try {
    const model = context.manifest.nodes[test.attachedNode ?? ''] as ModelNode;
    const fixtures = await fixturesFor(test, context);
    sql = await renderWithFixtures(test, model, fixtures, context);
    return { ...base, ...(await compare(test, sql, context)), sql };
  } catch (error) {
    if (!(error instanceof TspipeError)) throw error;
    return { ...base, status: 'error', message: error.message, hint: error.hint, where: test.originalFilePath, sql };
  }
}

interface Fixture {
  cte: Cte;
  relation: DbtRelation;
}

/** Each given input as a CTE, keyed by the node id it stands for. */
async function fixturesFor(test: TestNode, context: UnitTestContext): Promise<Map<string, Fixture>> {
  const fixtures = new Map<string, Fixture>();
  for (const given of test.unitTest!.given) {
    const input = parseUnitTestInput(given.input)!;
    const id = inputNodeId(context.manifest, input, test)!;
    const label = `unit test ${test.name}, input ${given.input}`;
    const columns = input.kind === 'this' || given.format !== 'sql' ? await inputColumns(context, id) : undefined;
    const name = `__dbt__cte__${input.kind === 'source' ? `${input.source}__${input.table}` : input.kind === 'this' ? 'this' : input.name}`;
    fixtures.set(id, {
      cte: { name, sql: fixtureSql(given, columns, label) },
      relation: new DbtRelation({ identifier: name, type: 'cte' }, undefined, { database: false, schema: false, identifier: true }),
    });
  }
  return fixtures;
}

async function renderWithFixtures(test: TestNode, model: ModelNode, fixtures: Map<string, Fixture>, context: UnitTestContext): Promise<string> {
  const { manifest, engine } = context;
  const used: Cte[] = [];
  const fixtureOf = (id: string | undefined, what: string) => {
    const fixture = id === undefined ? undefined : fixtures.get(id);
    if (!fixture) {
      throw new ProjectError(`unit test ${test.name}: the model reads ${what}, which has no input under given:`, {
        hint: `add "- input: ${what}" with its rows (rows: [] for an empty input)`,
      });
    }
    if (!used.some((c) => c.name === fixture.cte.name)) used.push(fixture.cte);
    return fixture.relation;
  };
  const thisFixture = fixtures.get(model.uniqueId);
  const hooks: RenderHooks & { session: WarehouseSession } = {
    file: model.originalFilePath,
    packageName: model.packageName,
    execute: true,
    session: new WarehouseSession(context.database.session),
    ref: (first, second) => {
      const [packageName, name] = second === undefined ? [undefined, first] : [first, second];
      const id = inputNodeId(manifest, packageName === undefined ? { kind: 'ref', name } : { kind: 'ref', package: packageName, name }, test);
      return fixtureOf(id, second === undefined ? `ref('${name}')` : `ref('${packageName}', '${name}')`);
    },
    source: (sourceName, table) => fixtureOf(inputNodeId(manifest, { kind: 'source', source: sourceName, table }, test), `source('${sourceName}', '${table}')`),
    config: () => undefined,
    configGet: (key, fallback) => model.config[key] ?? fallback,
    isIncremental: () => false,
    thisRelation: thisFixture ? fixtureOf(model.uniqueId, 'this') : templateRelation(model.relation, model.config.materialized === 'view' ? 'view' : 'table'),
    model: () => nodeDict(model),
    overrides: test.unitTest!.overrides,
  };
  const template = context.templates?.get(model.uniqueId) ?? engine.compile(model.rawCode, model.originalFilePath);
  const rendered = await engine.renderAsync(template, hooks);
  return injectCtes(stripTrailingSemicolon(rendered.trim()), used);
}

class RollBack extends Error {}

/** Actual against expected, in a transaction rolled back at the end (the temporary table goes with it). */
async function compare(
  test: TestNode,
  sql: string,
  context: UnitTestContext,
): Promise<Pick<TestOutcome, 'status' | 'failures' | 'message' | 'failingRows' | 'columns'>> {
  let outcome: Pick<TestOutcome, 'status' | 'failures' | 'message' | 'failingRows' | 'columns'> | undefined;
  try {
    await context.database.session.transaction(async (tx) => {
      outcome = await compareIn(tx, test, sql);
      throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return outcome!;
}

async function compareIn(tx: DbSession, test: TestNode, sql: string) {
  const expect = test.unitTest!.expect;
  await tx.query(`create temporary table ${ACTUAL} as select * from (\n${sql}\n) as actual`);
  const actualColumns = await columnsOf(tx, { schema: await tempSchema(tx), identifier: ACTUAL });
  const names =
    expect.format === 'sql'
      ? (await tx.query(`select * from (${fixtureSql(expect, undefined, '')}) e limit 0`)).fields.map((f) => f.name)
      : fixtureColumnNames(expect);
  const byName = new Map(actualColumns.map((c) => [c.name.toLowerCase(), c]));
  const compared: FixtureColumn[] = names.map((name) => {
    const column = byName.get(name.toLowerCase());
    if (!column) {
      throw new ProjectError(
        `unit test ${test.name}: expected column "${name}" is not in the model's output (${actualColumns.map((c) => c.name).join(', ')})`,
        {
          hint: 'fix the column name under expect:',
        },
      );
    }
    return column;
  });
  const expectedSql = fixtureSql(expect, compared, `unit test ${test.name}, expect`);
  const select = (from: string) => `select ${compared.map((c) => `${quoteIdentifier(c.name)}::text as ${quoteIdentifier(c.name)}`).join(', ')} from ${from}`;
  const actual = (await tx.query(select(ACTUAL))).rows;
  const expected = (await tx.query(select(`(\n${expectedSql}\n) as expected`))).rows;
  const diff = multisetDiff(
    actual,
    expected,
    compared.map((c) => c.name),
  );
  const columns = ['diff', ...compared.map((c) => c.name)];
  if (!diff.length) return { status: 'pass' as const, failures: 0, failingRows: [], columns };
  const extra = diff.filter((r) => r.diff === '+').length;
  const missing = diff.length - extra;
  return {
    status: 'fail' as const,
    failures: diff.length,
    message: `actual differs from expected: ${extra} row${extra === 1 ? '' : 's'} only in actual (+), ${missing} only in expected (-)`,
    failingRows: diff,
    columns,
  };
}

async function tempSchema(tx: DbSession): Promise<string> {
  const { rows } = await tx.query<{ schema: string }>('select nspname as schema from pg_namespace where oid = pg_my_temp_schema()');
  return rows[0]!.schema;
}

/** Rows in one side and not the other, counting duplicates, as text. */
function multisetDiff(actual: Record<string, unknown>[], expected: Record<string, unknown>[], columns: string[]): Record<string, unknown>[] {
  const key = (row: Record<string, unknown>) => JSON.stringify(columns.map((c) => row[c] ?? null));
  const counts = new Map<string, { row: Record<string, unknown>; count: number }>();
  for (const row of expected) {
    const k = key(row);
    counts.set(k, { row, count: (counts.get(k)?.count ?? 0) + 1 });
  }
  const diff: Record<string, unknown>[] = [];
  for (const row of actual) {
    const found = counts.get(key(row));
    if (found && found.count > 0) found.count--;
    else diff.push({ diff: '+', ...row });
  }
  for (const { row, count } of counts.values()) for (let i = 0; i < count; i++) diff.push({ diff: '-', ...row });
  return diff;
}
