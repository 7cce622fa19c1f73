/**
 * What every materialization strategy returns: SQL steps run in ONE transaction.
 * `build` stages the new data, `audit` names the relation tests read before
 * publishing (write-audit-publish), `publish` makes it visible; COMMIT publishes.
 * A failure anywhere rolls everything back: no half-built table, no leftovers.
 */
import type { CompiledModel } from '../compile/compile-model.js';
import type { Relation } from '../compile/relation.js';

export const RELATION_KINDS = ['table', 'view', 'materialized_view', 'other'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

export interface ExistingRelation {
  kind: RelationKind;
  columns: string[];
  /** Each column's SQL type (format_type, typmods too), in the order of `columns`. */
  types?: string[];
}

export interface MaterializeInput {
  model: CompiledModel;
  /** The relation as it is in the database now, if any. */
  existing: ExistingRelation | undefined;
  fullRefresh: boolean;
  /** A microbatch model's batch: the window of `eventTime` this run replaces. */
  batch?: { eventTime: string; start: Date; end: Date };
  /** The SELECT's columns and types, when the strategy asked for them (snapshot, incremental with on_schema_change). */
  selectColumns?: { name: string; type: string }[];
}

export interface SqlStep {
  sql: string;
  /** Short description for logs and --dry-run. */
  purpose: string;
  /** This statement's row count is the model's "rows affected". */
  countsRows?: boolean;
}

export interface MaterializationSteps {
  build: SqlStep[];
  /** Relation holding the data as it will be published, for audits; undefined for views. */
  audit?: Relation;
  publish: SqlStep[];
  /** "created table", "inserted into", "created view": for the terminal line. */
  verb: string;
}

export type MaterializationStrategy = (input: MaterializeInput) => MaterializationSteps;

export const STAGING_SUFFIX = '__tspipe_tmp';
export const LEFTOVER_SUFFIXES = [STAGING_SUFFIX, '__tspipe_backup', '__dbt_tmp', '__dbt_backup'] as const;
