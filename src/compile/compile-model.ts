/**
 * Renders a model with *resolving* hooks: ref() returns the quoted relation (or the
 * CTE name of an ephemeral model, whose SQL is then injected as a CTE).
 */
import { ProjectError } from '../errors.js';
import type { Manifest, ModelNode, SourceNode } from '../parse/manifest.js';
import { trackReads, type RenderReads } from '../parse/render-hooks.js';
import type { CompiledTemplate, TemplateEngine } from '../parse/template-engine.js';
import { quoteIdentifier } from '../contract/index.js';
import { Relation } from './relation.js';
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
  /** What the render read; the compile cache keys on it. */
  inputs: CompileInputs;
}

/** Everything a compile render looked at besides the project-wide state. */
export interface CompileInputs {
  /** The model, then the ephemeral parents rendered into it as CTEs. */
  rendered: string[];
  /** Names passed to ref(), by any of those templates. */
  refs: string[];
  sources: [string, string][];
  reads: RenderReads;
}

export function compileModel(node: ModelNode, context: CompileContext): CompiledModel {
  const ctes: Cte[] = [];
  const seen = { rendered: [] as string[], refs: new Set<string>(), sources: [] as [string, string][] };
  const { value: sql, reads } = trackReads(() => renderModel(node, context, ctes, [node.uniqueId], seen));
  const inputs = { rendered: seen.rendered, refs: [...seen.refs], sources: seen.sources, reads };
  return { node, sql: injectCtes(sql, ctes), relation: Relation.of(node.relation), inputs };
}

interface Seen {
  rendered: string[];
  refs: Set<string>;
  sources: [string, string][];
}

function renderModel(node: ModelNode, context: CompileContext, ctes: Cte[], stack: string[], seen: Seen): string {
  const { manifest, engine } = context;
  const template = context.templates.get(node.uniqueId) ?? engine.compile(node.rawCode, node.originalFilePath);
  seen.rendered.push(node.uniqueId);
  return engine.render(template, {
    file: node.originalFilePath,
    execute: true,
    ref(first, second) {
      const name = second ?? first;
      seen.refs.add(name);
      const parent = manifest.nodes[manifest.refLookup[name] ?? ''];
      if (!parent) throw new ProjectError(`ref("${name}") names a model or seed that does not exist`);
      if (parent.resourceType === 'model' && parent.config.materialized === 'ephemeral') {
        if (stack.includes(parent.uniqueId)) throw new ProjectError(`ephemeral models refer to each other: ${[...stack, parent.uniqueId].join(' -> ')}`);
        const cteName = `__tspipe__cte__${parent.name}`;
        if (!ctes.some((c) => c.name === cteName)) {
          const parentSql = renderModel(parent, context, ctes, [...stack, parent.uniqueId], seen);
          ctes.push({ name: cteName, sql: parentSql });
        }
        return quoteIdentifier(cteName);
      }
      return Relation.of(parent.relation);
    },
    source(sourceName, table) {
      if (!seen.sources.some(([s, t]) => s === sourceName && t === table)) seen.sources.push([sourceName, table]);
      const source = findSource(manifest, sourceName, table);
      if (!source) throw new ProjectError(`source("${sourceName}", "${table}") is not declared`);
      return Relation.of(source.relation);
    },
    config: () => undefined,
    configGet: (key, fallback) => node.config[key] ?? fallback,
    isIncremental: () => context.isIncremental?.(node) ?? false,
    thisRelation: Relation.of(node.relation),
  });
}

/** source(name, table) lookups: an index per manifest instead of a scan per call. */
const sourceIndexes = new WeakMap<Manifest, { sources: Manifest['sources']; byName: Map<string, SourceNode> }>();

export function findSource(manifest: Manifest, sourceName: string, table: string): SourceNode | undefined {
  let index = sourceIndexes.get(manifest);
  if (!index || index.sources !== manifest.sources) {
    const byName = new Map<string, SourceNode>();
    for (const source of Object.values(manifest.sources)) {
      const key = `${source.sourceName}\0${source.name}`;
      if (!byName.has(key)) byName.set(key, source);
    }
    index = { sources: manifest.sources, byName };
    sourceIndexes.set(manifest, index);
  }
  return index.byName.get(`${sourceName}\0${table}`);
}
