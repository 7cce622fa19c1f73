/**
 * Where a model or seed lands: dbt's generate_schema_name / generate_alias_name. A
 * project (or the node's package) may override them with macros; otherwise dbt's
 * default applies — a custom schema is appended to the target schema
 * (`+schema: marts` → analytics_marts) — except in tspipe's own project.yml format,
 * where a custom schema is used as written.
 */
import { INTERNAL_PACKAGE } from '../context/macro-registry.js';
import type { ModelNode, RelationName, SeedNode, SnapshotNode, SourceNode, TestNode } from './manifest.js';
import { nodeDict } from './node-dict.js';
import { recordingHooks } from './recording-hooks.js';
import type { TemplateEngine } from './template-engine.js';

export function relationOfModel(node: ModelNode | SeedNode, engine: TemplateEngine, targetSchema: string, schemaAsWritten: boolean): RelationName {
  const custom = node.config.schema ?? null;
  const alias = node.config.alias ?? null;
  const hooks = recordingHooks.forMacros(node.originalFilePath, node.packageName, () => nodeDict(node));
  const overridden = (name: string) => {
    const macro = engine.resolveMacro(name, node.packageName);
    return macro !== undefined && macro.package !== INTERNAL_PACKAGE;
  };
  let schema: string;
  if (overridden('generate_schema_name')) schema = String(engine.callMacro('generate_schema_name', hooks, [custom, nodeDict(node)])).trim();
  else if (custom === null) schema = targetSchema;
  else schema = schemaAsWritten ? custom.trim() : `${targetSchema}_${custom.trim()}`;
  // A model version's table is <name>_v<version> unless aliased (dbt's default).
  const versioned = node.resourceType === 'model' && node.version !== undefined ? `${node.name}_v${String(node.version).replace(/\./g, '_')}` : node.name;
  const identifier = overridden('generate_alias_name')
    ? String(engine.callMacro('generate_alias_name', hooks, [alias, nodeDict(node)])).trim()
    : (alias ?? versioned);
  return { schema, identifier };
}

/** dbt's snapshots: `target_schema` (the legacy config) is used as written; else the schema rules of models. */
export function relationOfSnapshot(node: SnapshotNode, engine: TemplateEngine, targetSchema: string, schemaAsWritten: boolean): RelationName {
  const relation = relationOfModel(node as unknown as ModelNode, engine, targetSchema, schemaAsWritten);
  const legacy = node.config.target_schema;
  return typeof legacy === 'string' && legacy.trim() ? { schema: legacy.trim(), identifier: relation.identifier } : relation;
}

/**
 * Where a dbt project's test keeps its failing rows (store_failures): the custom schema
 * `dbt_test__audit` unless configured, through the same schema and alias rules as a
 * model, so `analytics_dbt_test__audit.<test name>` by default.
 */
export function relationOfTest(node: TestNode, engine: TemplateEngine, targetSchema: string): RelationName {
  const config = { ...node.config, schema: node.config.schema ?? DBT_TEST_AUDIT_SCHEMA, alias: node.config.alias ?? node.relation.identifier };
  return relationOfModel({ ...node, config } as unknown as ModelNode, engine, targetSchema, false);
}

const DBT_TEST_AUDIT_SCHEMA = 'dbt_test__audit';

/** dbt renders Jinja in a source's schema and identifier (`schema: "{{ target.schema ~ '_raw' }}"`). */
export function relationOfSource(source: SourceNode, engine: TemplateEngine): RelationName {
  const render = (text: string) => {
    if (!text.includes('{{') && !text.includes('{%')) return text;
    const hooks = recordingHooks.forMacros(source.originalFilePath, source.packageName);
    return String(engine.render(engine.compile(text, source.originalFilePath), hooks)).trim();
  };
  return { schema: render(source.relation.schema), identifier: render(source.relation.identifier) };
}
