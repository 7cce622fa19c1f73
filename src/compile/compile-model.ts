/**
 * Renders a model with *resolving* hooks: ref() returns the quoted relation (or the
 * CTE name of an ephemeral model, whose SQL is then injected as a CTE).
 */
import { ProjectError } from '../errors.js';
import type { Manifest, ModelNode } from '../parse/manifest.js';
import type { CompiledTemplate, TemplateEngine } from '../parse/template-engine.js';
import { Relation, quoteIdentifier } from './relation.js';
import { injectCtes, type Cte } from './inject-ctes.js';

export interface CompileContext {
  manifest: Manifest;
  engine: TemplateEngine;
  templates: Map<string, CompiledTemplate>;
  /** True when the model is incremental, its table exists and no full refresh runs. */
  isIncremental?: (node: ModelNode) => boolean;
}

export interface CompiledModel {
  node: ModelNode;
  /** The SELECT (with ephemeral CTEs injected) that the materialization wraps. */
  sql: string;
  relation: Relation;
}

export function compileModel(node: ModelNode, context: CompileContext): CompiledModel {
  const ctes: Cte[] = [];
  const sql = renderModel(node, context, ctes, [node.uniqueId]);
  return { node, sql: injectCtes(sql, ctes), relation: Relation.of(node.relation) };
}

function renderModel(node: ModelNode, context: CompileContext, ctes: Cte[], stack: string[]): string {
  const { manifest, engine } = context;
  const template = context.templates.get(node.uniqueId) ?? engine.compile(node.rawCode, node.originalFilePath);
  return engine.render(template, {
    file: node.originalFilePath,
    execute: true,
    ref(first, second) {
      const name = second ?? first;
      const parent = manifest.nodes[manifest.refLookup[name] ?? ''];
      if (!parent) throw new ProjectError(`ref("${name}") names a model or seed that does not exist`);
      if (parent.resourceType === 'model' && parent.config.materialized === 'ephemeral') {
        if (stack.includes(parent.uniqueId)) throw new ProjectError(`ephemeral models refer to each other: ${[...stack, parent.uniqueId].join(' -> ')}`);
        const cteName = `__tspipe__cte__${parent.name}`;
        if (!ctes.some((c) => c.name === cteName)) {
          const parentSql = renderModel(parent, context, ctes, [...stack, parent.uniqueId]);
          ctes.push({ name: cteName, sql: parentSql });
        }
        return quoteIdentifier(cteName);
      }
      return Relation.of(parent.relation);
    },
    source(sourceName, table) {
      const source = Object.values(manifest.sources).find((s) => s.sourceName === sourceName && s.name === table);
      if (!source) throw new ProjectError(`source("${sourceName}", "${table}") is not declared`);
      return Relation.of(source.relation);
    },
    config: () => undefined,
    configGet: (key, fallback) => node.config[key] ?? fallback,
    isIncremental: () => context.isIncremental?.(node) ?? false,
    thisRelation: Relation.of(node.relation),
  });
}
