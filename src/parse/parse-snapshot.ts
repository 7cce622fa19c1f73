/**
 * A snapshots/*.sql file → SnapshotNodes, one per `{% snapshot name %}...{% endsnapshot %}`
 * block (dbt cuts the blocks out before rendering, as here). The body is a model-like
 * template: config from the project file's `snapshots:` tree, schema YAML and
 * `{{ config(...) }}`, refs and sources recorded by the same parse render as models.
 */
import { ProjectError } from '../errors.js';
import { sha256 } from '../text.js';
import { configCallLine } from './call-lines.js';
import type { NodeConfig, SnapshotNode } from './manifest.js';
import { mergeConfig, validateConfig } from './node-config.js';
import {
  checkName,
  folderConfigFor,
  foldersOf,
  packageRelative,
  patchConfig,
  recordFacts,
  templateNodeFields,
  type PackageParseContext,
} from './parse-model.js';
import type { NodePatch } from './schema-yaml.js';
import type { CompiledTemplate } from './template-engine.js';

const BLOCK = /\{%-?\s*snapshot\s+([A-Za-z_]\w*)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g;
const OPENING = /\{%-?\s*snapshot\b/;

export const SNAPSHOT_STRATEGIES = ['timestamp', 'check'] as const;
export const HARD_DELETES = ['ignore', 'invalidate', 'new_record'] as const;

export interface ParsedSnapshot {
  node: SnapshotNode;
  template: CompiledTemplate;
  env: Record<string, string | null>;
}

export function parseSnapshotFile(ctx: PackageParseContext, file: string, source: string, patchOf: (name: string) => NodePatch | undefined): ParsedSnapshot[] {
  const blocks = [...source.matchAll(BLOCK)];
  const last = blocks[blocks.length - 1];
  const after = last ? last.index! + last[0].length : 0;
  const unclosed = source.slice(after).search(OPENING);
  if (unclosed >= 0) {
    ctx.errors.add(
      new ProjectError('{% snapshot %} is not closed', { file, line: lineAt(source, after + unclosed), hint: 'end the block with {% endsnapshot %}' }),
    );
  }
  return blocks.flatMap((block) => {
    const parsed = parseBlock(ctx, file, block[1]!, block[2]!, lineAt(source, block.index!), patchOf(block[1]!));
    return parsed ? [parsed] : [];
  });
}

/**
 * dbt 1.9's YAML snapshot: `snapshots: [{name, relation: ref('x'), config: {...}}]` in a
 * property file, the same as a block selecting everything from that relation.
 */
export function parseYamlSnapshot(ctx: PackageParseContext, patch: NodePatch & { relation: string }): ParsedSnapshot | undefined {
  const relation = patch.relation.trim();
  if (!/^(ref|source)\(.*\)$/s.test(relation)) {
    ctx.errors.add(
      new ProjectError(`snapshot ${patch.name}: relation must be ref('model') or source('source', 'table'), not ${JSON.stringify(relation)}`, {
        file: patch.file,
        line: patch.line,
      }),
    );
    return undefined;
  }
  return parseBlock(ctx, patch.file, patch.name, `\nselect * from {{ ${relation} }}\n`, patch.line ?? 1, patch);
}

function parseBlock(
  ctx: PackageParseContext,
  file: string,
  name: string,
  body: string,
  line: number,
  patch: NodePatch | undefined,
): ParsedSnapshot | undefined {
  const { config, errors } = ctx;
  checkName(name, file, errors);
  const folders = foldersOf(packageRelative(file, config), config.snapshotPaths);
  // Blank lines first: the body's line numbers are the file's, in errors and compiled SQL.
  const rawCode = '\n'.repeat(line - 1) + body;
  const baseConfig = mergeConfig({ materialized: 'snapshot' }, folderConfigFor(ctx, 'snapshots', folders, name), patchConfig(ctx, patch));
  const template = ctx.engine.compile(rawCode, file);
  const facts = recordFacts(ctx, template, { file, name, rawCode, key: '', baseConfig, folders }, false);
  const { config: nodeConfig, problems } = validateConfig(facts.config, 'snapshot');
  problems.push(...snapshotProblems(nodeConfig));
  // One error per snapshot, listing every problem: they are usually fixed together.
  if (problems.length) {
    errors.add(
      new ProjectError(`snapshot ${name}: invalid config ${problems.join('; ')}`, {
        file,
        line: configCallLine(rawCode) ?? line,
        hint: "e.g. {{ config(unique_key='user_id', strategy='timestamp', updated_at='updated_at') }} or strategy='check', check_cols=['plan']",
      }),
    );
  }
  if (!nodeConfig.enabled) return undefined;
  const node: SnapshotNode = {
    uniqueId: `snapshot.${config.name}.${name}`,
    resourceType: 'snapshot',
    name,
    packageName: config.name,
    originalFilePath: file,
    line,
    fqn: [config.name, ...folders, name],
    ...templateNodeFields(ctx, patch, { checksum: sha256(body), rawCode, config: nodeConfig, facts }),
  };
  return { node, template, env: facts.env };
}

/** dbt's snapshot config: a unique key, a strategy and what it needs, how hard deletes are kept. */
function snapshotProblems(config: NodeConfig): string[] {
  const problems: string[] = [];
  if (config.unique_key === undefined) problems.push('unique_key: missing (the column, or list of columns, that identifies a record)');
  if (!(SNAPSHOT_STRATEGIES as readonly unknown[]).includes(config.strategy)) {
    problems.push(`strategy: ${config.strategy === undefined ? 'missing' : `"${String(config.strategy)}" is not one of timestamp, check`}`);
  }
  if (config.strategy === 'timestamp' && typeof config.updated_at !== 'string')
    problems.push('updated_at: the timestamp strategy needs the column that says when a record changed');
  if (
    config.strategy === 'check' &&
    config.check_cols !== 'all' &&
    !(Array.isArray(config.check_cols) && config.check_cols.length && config.check_cols.every((c) => typeof c === 'string'))
  ) {
    problems.push("check_cols: the check strategy needs 'all' or a list of columns");
  }
  if (config.hard_deletes !== undefined && !(HARD_DELETES as readonly unknown[]).includes(config.hard_deletes)) {
    problems.push(`hard_deletes: "${String(config.hard_deletes)}" is not one of ${HARD_DELETES.join(', ')}`);
  }
  if (config.invalidate_hard_deletes !== undefined && typeof config.invalidate_hard_deletes !== 'boolean')
    problems.push('invalidate_hard_deletes: must be true or false');
  return problems;
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
