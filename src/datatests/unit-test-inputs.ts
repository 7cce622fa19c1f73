/**
 * Where a unit test's inputs get their column types. On the target database they are
 * its relations. On the embedded scratch database (the default: no warehouse needed)
 * each input is first created empty, its own parents before it: a seed from its CSV's
 * inferred types, a source from the seed that loads the same relation or its declared
 * data_types, a model from its compiled SQL with `limit 0`.
 */
import { compileModelWithDatabase } from '../compile/compile-model.js';
import { quoteIdentifier } from '../contract/index.js';
import type { DbSession } from '../contract/index.js';
import { WarehouseSession } from '../context/warehouse.js';
import { ProjectError } from '../errors.js';
import type { Manifest, ModelNode, RelationName, SeedNode, SnapshotNode, SourceNode } from '../parse/manifest.js';
import type { CompiledTemplate, TemplateEngine } from '../parse/template-engine.js';
import type { FixtureColumn } from './unit-test-fixtures.js';

export interface UnitTestDatabase {
  session: DbSession;
  /** A scratch database: inputs are created empty before their columns are read. */
  scratch: boolean;
  /** Ids of the nodes created empty in the scratch database so far. */
  created: Set<string>;
  /** A seed's columns as its load would type them (ingest/ infers them from the CSV). */
  seedColumns(seed: SeedNode): Promise<FixtureColumn[]>;
  /** The target database, asked for a source's columns when nothing else types them. */
  target?: DbSession;
}

export interface InputContext {
  manifest: Manifest;
  engine: TemplateEngine;
  templates?: Map<string, CompiledTemplate>;
  database: UnitTestDatabase;
}

/** The columns of the relation behind a node id; undefined when tspipe cannot know them (an undeclared source). */
export async function inputColumns(context: InputContext, id: string): Promise<FixtureColumn[] | undefined> {
  const { manifest, database } = context;
  const node = nodeOf(manifest, id);
  if (!node) return undefined;
  if (database.scratch) {
    const known = await createEmpty(context, id);
    if (!known) return undefined;
  }
  const columns = await columnsOf(database.session, node.relation);
  return columns.length ? columns : undefined;
}

export async function columnsOf(session: DbSession, relation: RelationName): Promise<FixtureColumn[]> {
  const { rows } = await session.query<{ name: string; type: string }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
     from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [relation.schema, relation.identifier],
  );
  return rows;
}

/** Creates the node empty in the scratch database (parents first); false when it has no known columns. */
async function createEmpty(context: InputContext, id: string): Promise<boolean> {
  const { manifest, database } = context;
  if (database.created.has(id)) return true;
  const node = nodeOf(manifest, id);
  if (!node) return false;
  if (node.resourceType === 'seed') {
    await createTable(database.session, node.relation, await database.seedColumns(node));
  } else if (node.resourceType === 'source') {
    if (!(await createSource(context, node))) return false;
  } else if (node.resourceType === 'model') {
    for (const parent of node.dependsOn) {
      if (!(await createEmpty(context, parent))) throw untypedInput(parent, node, context.manifest);
    }
    if (node.config.materialized !== 'ephemeral') await createModel(context, node);
  } else return false;
  database.created.add(id);
  return true;
}

/** A source is usually a table a seed loads: then it is that seed's table. Else its declared column types. */
async function createSource(context: InputContext, source: SourceNode): Promise<boolean> {
  const seed = Object.values(context.manifest.nodes).find(
    (n): n is SeedNode => n.resourceType === 'seed' && n.relation.schema === source.relation.schema && n.relation.identifier === source.relation.identifier,
  );
  if (seed) return createEmpty(context, seed.uniqueId);
  const declared = Object.values(source.columns);
  if (declared.length && declared.every((c) => c.data_type)) {
    await createTable(
      context.database.session,
      source.relation,
      declared.map((c) => ({ name: c.name, type: c.data_type! })),
    );
    return true;
  }
  // Loaded by something else (another tool, a seed that is disabled now): the target knows its columns.
  const inTarget = context.database.target ? await columnsOf(context.database.target, source.relation) : [];
  if (!inTarget.length) return false;
  await createTable(context.database.session, source.relation, inTarget);
  return true;
}

async function createModel(context: InputContext, model: ModelNode): Promise<void> {
  const session = context.database.session;
  const compiled = await compileModelWithDatabase(
    model,
    { manifest: context.manifest, engine: context.engine, templates: context.templates ?? new Map() },
    new WarehouseSession(session),
  );
  await session.query(`create schema if not exists ${quoteIdentifier(model.relation.schema)}`);
  await session.query(
    `create table if not exists ${quoteIdentifier(model.relation.schema)}.${quoteIdentifier(model.relation.identifier)} as select * from (\n${compiled.sql}\n) as empty_input limit 0`,
  );
}

function untypedInput(id: string, model: ModelNode, manifest: Manifest): ProjectError {
  const source = manifest.sources[id];
  const name = source ? `source ${source.sourceName}.${source.name}` : id;
  return new ProjectError(`cannot tell the columns of ${name}, which ${model.name} reads, on the embedded database`, {
    hint: `declare its columns with data_type in YAML, load it in the target database, or run the unit tests there with --unit-test-target`,
  });
}

function nodeOf(manifest: Manifest, id: string): ModelNode | SeedNode | SnapshotNode | SourceNode | undefined {
  const node = (manifest.nodes[id] as Manifest['nodes'][string] | undefined) ?? manifest.sources[id];
  return node && node.resourceType !== 'test' ? node : undefined;
}

async function createTable(session: DbSession, relation: RelationName, columns: FixtureColumn[]): Promise<void> {
  await session.query(`create schema if not exists ${quoteIdentifier(relation.schema)}`);
  const list = columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ');
  await session.query(`create table if not exists ${quoteIdentifier(relation.schema)}.${quoteIdentifier(relation.identifier)} (${list})`);
}
