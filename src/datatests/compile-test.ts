/**
 * TestNode → one SELECT returning the failing rows, `where` and `limit` applied.
 * ref()/source() resolve like in models (ephemeral models become CTEs), except
 * that `overrides` can point a node at another relation: write-audit-publish
 * tests a model's staged table before it replaces the published one.
 */
import { compileModel } from '../compile/compile-model.js';
import { injectCtes, stripTrailingSemicolon, type Cte } from '../compile/inject-ctes.js';
import { quoteIdentifier } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { ProjectError } from '../errors.js';
import type { Manifest, RelationName, TestNode } from '../parse/manifest.js';
import { testCompiledFile } from '../parse/manifest-json.js';
import type { RenderHooks } from '../parse/render-hooks.js';
import type { CompiledTemplate, TemplateEngine } from '../parse/template-engine.js';
import { builtinTest, genericTestSql } from './generic-tests.js';
import { keywords } from './generic-test-nodes.js';
import { resolveTestArgs } from './test-args.js';
import { readTestConfig } from './test-config.js';

export interface TestCompileContext {
  manifest: Manifest;
  engine: TemplateEngine;
  /** Parsed model templates (for ephemeral parents), when at hand. */
  templates?: Map<string, CompiledTemplate>;
  /** uniqueId → relation read instead of the node's own (the staged table in an audit). */
  overrides?: ReadonlyMap<string, RelationName>;
}

export interface CompiledTest {
  node: TestNode;
  /** SELECT of the failing rows. */
  sql: string;
  /** Where target/compiled/ keeps it, relative to the target folder's compiled/. */
  file: string;
}

export function compileTest(test: TestNode, context: TestCompileContext): CompiledTest {
  const ctes: Cte[] = [];
  const hooks = resolvingHooks(test, context, ctes);
  const config = readTestConfig(test.config);
  let sql: string;
  if (test.testType === 'singular') {
    sql = stripTrailingSemicolon(context.engine.render(context.engine.compile(test.rawCode ?? '', test.originalFilePath), hooks).trim());
    // A singular test has no `model` to filter: `where` filters its failing rows.
    if (config.where) sql = `select * from (\n${sql}\n) dbt_subquery\nwhere ${config.where}`;
  } else {
    sql = genericSql(test, context, hooks, config.where);
  }
  sql = injectCtes(sql, ctes);
  if (config.limit !== undefined) sql = `select * from (\n${sql}\n) dbt_limited\nlimit ${config.limit}`;
  return { node: test, sql, file: testCompiledFile(test) };
}

function genericSql(test: TestNode, context: TestCompileContext, hooks: TestHooks, where: string | undefined): string {
  const meta = test.testMetadata;
  if (!meta || !test.attachedNode) throw new ProjectError(`test ${test.name} has no test metadata`, { file: test.originalFilePath });
  const { column_name: column, ...rawArgs } = meta.kwargs;
  const relation = hooks.relationOf(test.attachedNode);
  // dbt's get_where_subquery: the tested relation, filtered.
  const model = where ? `(select * from ${relation} where ${where}) dbt_subquery` : String(relation);
  const args = resolveTestArgs(rawArgs, context.engine, hooks);
  const macro = `test_${meta.name}`;
  if (context.engine.hasMacro(macro)) {
    const rendered = context.engine.callMacro(macro, hooks, keywords({ ...args, model: where ? model : relation, column_name: column }));
    return stripTrailingSemicolon(String(rendered).trim());
  }
  const builtin = builtinTest(meta.name, meta.namespace);
  if (!builtin) throw new ProjectError(`unknown test "${meta.name}"`, { file: test.originalFilePath });
  return genericTestSql(meta.name, builtin, { model, column: column === undefined ? undefined : String(column), args });
}

interface TestHooks extends RenderHooks {
  /** SQL for a node by uniqueId: override, CTE name of an ephemeral model, or its relation. */
  relationOf(uniqueId: string): Relation | string;
}

function resolvingHooks(test: TestNode, context: TestCompileContext, ctes: Cte[]): TestHooks {
  const { manifest } = context;
  const relationOf = (uniqueId: string): Relation | string => {
    const override = context.overrides?.get(uniqueId);
    if (override) return Relation.of(override);
    const node = manifest.nodes[uniqueId] ?? manifest.sources[uniqueId];
    if (!node) throw new ProjectError(`test ${test.name} reads ${uniqueId}, which does not exist`, { file: test.originalFilePath });
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') {
      const name = `__tspipe__cte__${node.name}`;
      if (!ctes.some((c) => c.name === name)) {
        const compiled = compileModel(node, { manifest, engine: context.engine, templates: context.templates ?? new Map() });
        ctes.push({ name, sql: compiled.sql });
      }
      return quoteIdentifier(name);
    }
    return Relation.of(node.relation);
  };
  return {
    file: test.originalFilePath,
    execute: true,
    relationOf,
    ref(first, second) {
      const name = second ?? first;
      const id = manifest.refLookup[name];
      if (!id) throw new ProjectError(`ref("${name}") names a model or seed that does not exist`);
      return relationOf(id);
    },
    source(sourceName, table) {
      const source = Object.values(manifest.sources).find((s) => s.sourceName === sourceName && s.name === table);
      if (!source) throw new ProjectError(`source("${sourceName}", "${table}") is not declared`);
      return relationOf(source.uniqueId);
    },
    config: () => undefined,
    configGet: (key, fallback) => test.config[key] ?? fallback,
    isIncremental: () => false,
    thisRelation: Relation.of(test.relation),
  };
}
