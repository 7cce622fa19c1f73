/**
 * TestNode → one SELECT returning the failing rows, `where` and `limit` applied.
 * ref()/source() resolve like in models (ephemeral models become CTEs), except
 * that `overrides` can point a node at another relation: write-audit-publish
 * tests a model's staged table before it replaces the published one. A test whose
 * macro asks the database (dbt_utils.equality reads columns) compiles with a session.
 */
import { compileModel, findSource, templateRelation } from '../compile/compile-model.js';
import { injectCtes, stripTrailingSemicolon, type Cte } from '../compile/inject-ctes.js';
import type { LogLine } from '../context/builtins.js';
import { DbtRelation } from '../context/relation.js';
import { renderWithoutWarehouse, type WarehouseSession } from '../context/warehouse.js';
import { ProjectError } from '../errors.js';
import { formatBatchTime } from '../config/microbatch-config.js';
import { quoteIdentifier } from '../contract/index.js';
import type { Manifest, RelationName, TestNode } from '../parse/manifest.js';
import { testCompiledFile } from '../parse/manifest-json.js';
import { graphDict, nodeDict } from '../parse/node-dict.js';
import type { RenderHooks } from '../parse/render-hooks.js';
import { resolveRef } from '../parse/resolve-refs.js';
import type { CompiledTemplate, TemplateEngine } from '../parse/template-engine.js';
import { genericTestSql } from './generic-tests.js';
import { resolveTestArgs } from './test-args.js';
import { readTestConfig } from './test-config.js';
import { testImplementation } from './test-implementation.js';

export interface TestCompileContext {
  manifest: Manifest;
  engine: TemplateEngine;
  /** Parsed model templates (for ephemeral parents), when at hand. */
  templates?: Map<string, CompiledTemplate>;
  /** uniqueId → relation read instead of the node's own (the staged table in an audit). */
  overrides?: ReadonlyMap<string, RelationName>;
  /**
   * Auditing one microbatch batch of `uniqueId`: its row-by-row tests (ROW_TESTS) read
   * only the rows of the batch's window, which the rest of the table cannot change;
   * `unique` only the rows sharing a key with the batch.
   */
  batch?: { uniqueId: string; eventTime: string; start: Date; end: Date };
}

/**
 * Generic tests that judge each row alone: a batch's rows pass or fail the same
 * whatever else is in the table. Any other test but unique reads the whole table.
 */
const ROW_TESTS = new Set(['not_null', 'accepted_values', 'relationships', 'expression_is_true']);

export interface CompiledTest {
  node: TestNode;
  /** SELECT of the failing rows. */
  sql: string;
  /** Where target/compiled/ keeps it, relative to the target folder's compiled/. */
  file: string;
}

/** Compiles without a database: a test macro that queries one is an error saying so. */
export function compileTest(test: TestNode, context: TestCompileContext): CompiledTest {
  return renderWithoutWarehouse(() => compileOnce(test, context, undefined), `test ${test.name}`);
}

export function compileTestWithDatabase(test: TestNode, context: TestCompileContext, session: WarehouseSession): Promise<CompiledTest> {
  return context.engine.replay(session, (log) => compileOnce(test, context, session, log));
}

function compileOnce(test: TestNode, context: TestCompileContext, session: WarehouseSession | undefined, log?: (line: LogLine) => void): CompiledTest {
  const ctes: Cte[] = [];
  const hooks = resolvingHooks(test, context, ctes, session);
  const config = readTestConfig(test.config);
  let sql: string;
  if (test.testType === 'singular') {
    sql = stripTrailingSemicolon(context.engine.render(context.engine.compile(test.rawCode ?? '', test.originalFilePath), hooks, log).trim());
    // A singular test has no `model` to filter: `where` filters its failing rows.
    if (config.where) sql = `select * from (\n${sql}\n) dbt_subquery\nwhere ${config.where}`;
  } else {
    sql = genericSql(test, context, hooks, config.where, log);
  }
  sql = injectCtes(sql, ctes);
  if (config.limit !== undefined) sql = `select * from (\n${sql}\n) dbt_limited\nlimit ${config.limit}`;
  return { node: test, sql, file: testCompiledFile(test) };
}

function genericSql(test: TestNode, context: TestCompileContext, hooks: TestHooks, where: string | undefined, log?: (line: LogLine) => void): string {
  const meta = test.testMetadata;
  if (!meta || !test.attachedNode) throw new ProjectError(`test ${test.name} has no test metadata`, { file: test.originalFilePath });
  const { column_name: column, ...rawArgs } = meta.kwargs;
  const relation = hooks.relationOf(test.attachedNode);
  const filters = [where, batchFilter(test, context, relation)].filter(Boolean).map((f) => `(${f})`);
  // dbt's get_where_subquery: the tested relation, filtered.
  const model = filters.length ? `(select * from ${relation} where ${filters.join(' and ')}) dbt_subquery` : relation;
  const args = resolveTestArgs(rawArgs, context.engine, hooks);
  const implementation = testImplementation(context.engine, meta.name, meta.namespace, test.packageName);
  if (!implementation) throw new ProjectError(`unknown test "${meta.name}"`, { file: test.originalFilePath });
  if (implementation.kind === 'macro') {
    const kwargs = { ...args, model, ...(column === undefined ? {} : { column_name: test.columnSql ?? column }) };
    return stripTrailingSemicolon(String(context.engine.callMacro(implementation.macro, hooks, [], kwargs, log)).trim());
  }
  return genericTestSql(meta.name, implementation.test, {
    model: String(model),
    column: column === undefined ? undefined : String(column),
    columnSql: test.columnSql,
    args,
  });
}

/**
 * The batch's window as a `where`, for a test of the batch's model: a row-by-row test
 * reads the batch's rows; `unique` reads the rows whose key a batch row has (a repeat
 * between two other batches failed when the later of them landed).
 */
function batchFilter(test: TestNode, context: TestCompileContext, relation: unknown): string | undefined {
  const batch = context.batch;
  const name = test.testMetadata?.name ?? '';
  if (!batch || test.attachedNode !== batch.uniqueId) return undefined;
  const column = quoteIdentifier(batch.eventTime);
  const window = `${column} >= '${formatBatchTime(batch.start)}' and ${column} < '${formatBatchTime(batch.end)}'`;
  if (ROW_TESTS.has(name)) return window;
  const key = test.testMetadata?.kwargs.column_name;
  if (name === 'unique' && typeof key === 'string') return `${key} in (select ${key} from ${relation} where ${window})`;
  return undefined;
}

interface TestHooks extends RenderHooks {
  /** A node by uniqueId: override, CTE of an ephemeral model, or its relation. */
  relationOf(uniqueId: string): DbtRelation;
}

function resolvingHooks(test: TestNode, context: TestCompileContext, ctes: Cte[], session: WarehouseSession | undefined): TestHooks {
  const { manifest } = context;
  const relationOf = (uniqueId: string): DbtRelation => {
    const override = context.overrides?.get(uniqueId);
    if (override) return templateRelation(override, 'table');
    const node = manifest.nodes[uniqueId] ?? manifest.sources[uniqueId];
    if (!node) throw new ProjectError(`test ${test.name} reads ${uniqueId}, which does not exist`, { file: test.originalFilePath });
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') {
      const name = `__dbt__cte__${node.name}`;
      if (!ctes.some((c) => c.name === name)) {
        const compiled = compileModel(node, { manifest, engine: context.engine, templates: context.templates ?? new Map() });
        ctes.push({ name, sql: compiled.sql });
      }
      return new DbtRelation({ identifier: name, type: 'cte' }, undefined, { database: false, schema: false, identifier: true });
    }
    return templateRelation(node.relation, node.resourceType === 'model' && node.config.materialized === 'view' ? 'view' : 'table');
  };
  return {
    file: test.originalFilePath,
    packageName: test.packageName,
    execute: true,
    session,
    relationOf,
    ref(first, second, version) {
      const [packageName, name] = second === undefined ? [undefined, first] : [first, second];
      const id = resolveRef(manifest, name, packageName, test.packageName, version);
      if (!id) throw new ProjectError(`ref("${name}") names a model or seed that does not exist`);
      return relationOf(id);
    },
    source(sourceName, table) {
      const source = findSource(manifest, sourceName, table);
      if (!source) throw new ProjectError(`source("${sourceName}", "${table}") is not declared`);
      return relationOf(source.uniqueId);
    },
    config: () => undefined,
    configGet: (key, fallback) => test.config[key] ?? fallback,
    isIncremental: () => false,
    thisRelation: templateRelation(test.relation, 'table'),
    model: () => nodeDict(test),
    graph: () => graphDict(manifest),
  };
}
