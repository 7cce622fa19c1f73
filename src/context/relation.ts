/**
 * dbt's Relation (api.Relation, `this`, what ref() and source() return in a template):
 * database, schema and identifier with a type, rendered as the quoted name SQL needs.
 * The database part is not rendered by default: PostgreSQL accepts only the current
 * database there, and leaving it out keeps the SQL the same on the embedded database.
 */
import { bindArgs } from './call-args.js';

export const RELATION_TYPES = ['table', 'view', 'cte', 'materialized_view', 'external'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

interface Parts {
  database: boolean;
  schema: boolean;
  identifier: boolean;
}

export interface RelationFields {
  database?: string | null;
  schema?: string | null;
  identifier?: string | null;
  type?: RelationType | null;
}

const DEFAULT_QUOTE: Parts = { database: true, schema: true, identifier: true };
const DEFAULT_INCLUDE: Parts = { database: false, schema: true, identifier: true };

export class DbtRelation {
  readonly database: string | null;
  readonly schema: string | null;
  readonly identifier: string | null;
  readonly type: RelationType | null;
  readonly quote_policy: Parts;
  readonly include_policy: Parts;

  constructor(fields: RelationFields, quote: Parts = DEFAULT_QUOTE, include: Parts = DEFAULT_INCLUDE) {
    this.database = fields.database ?? null;
    this.schema = fields.schema ?? null;
    this.identifier = fields.identifier ?? null;
    this.type = fields.type ?? null;
    this.quote_policy = quote;
    this.include_policy = include;
  }

  /** The prefix of an ephemeral model's CTE: api.Relation.add_ephemeral_prefix(name). */
  static add_ephemeral_prefix(name: unknown): string {
    return `__dbt__cte__${String(name)}`;
  }

  /** api.Relation.create(database=, schema=, identifier=, type=) */
  static create(...args: unknown[]): DbtRelation {
    const bound = bindArgs('Relation.create', ['database', 'schema', 'identifier', 'type'], args, { rest: true });
    const relation = new DbtRelation(bound as RelationFields);
    const quote = bound.quote_policy as Partial<Parts> | undefined;
    return quote ? relation.withPolicies({ ...relation.quote_policy, ...quote }, relation.include_policy) : relation;
  }

  get name(): string | null {
    return this.identifier;
  }
  get table(): string | null {
    return this.identifier;
  }
  get path(): { database: string | null; schema: string | null; identifier: string | null } {
    return { database: this.database, schema: this.schema, identifier: this.identifier };
  }
  get is_table(): boolean {
    return this.type === 'table';
  }
  get is_view(): boolean {
    return this.type === 'view';
  }
  get is_cte(): boolean {
    return this.type === 'cte';
  }
  get is_materialized_view(): boolean {
    return this.type === 'materialized_view';
  }

  render(): string {
    const parts: string[] = [];
    for (const key of ['database', 'schema', 'identifier'] as const) {
      const value = this[key];
      if (!this.include_policy[key] || value === null || value === '') continue;
      parts.push(this.quote_policy[key] ? `"${value.replace(/"/g, '""')}"` : value);
    }
    return parts.join('.');
  }

  /**
   * A microbatch batch's parent: `(select * from x where t >= .. and t < ..) _dbt_et_filter_subq_x`,
   * as dbt renders it; `.render()` stays the bare name (dbt's way to opt out of the filter).
   */
  event_time_filter: { field_name: string; start: string; end: string } | null = null;

  withEventTimeFilter(filter: { field_name: string; start: string; end: string }): DbtRelation {
    const filtered = this.copy({});
    filtered.event_time_filter = filter;
    return filtered;
  }

  toString(): string {
    const f = this.event_time_filter;
    if (!f) return this.render();
    return `(select * from ${this.render()} where ${f.field_name} >= '${f.start}' and ${f.field_name} < '${f.end}') _dbt_et_filter_subq_${this.identifier}`;
  }

  /** include(database=False, schema=True, identifier=True): which parts render. */
  include(...args: unknown[]): DbtRelation {
    const bound = bindArgs('include', ['database', 'schema', 'identifier'], args);
    return this.withPolicies(this.quote_policy, mergeParts(this.include_policy, bound));
  }

  quote(...args: unknown[]): DbtRelation {
    const bound = bindArgs('quote', ['database', 'schema', 'identifier'], args);
    return this.withPolicies(mergeParts(this.quote_policy, bound), this.include_policy);
  }

  /** incorporate(path={'identifier': 'x'}, type='table') */
  incorporate(...args: unknown[]): DbtRelation {
    const bound = bindArgs('incorporate', ['path', 'type'], args, { rest: true });
    const path = (bound.path ?? {}) as RelationFields;
    return this.copy({ ...path, type: (bound.type as RelationType | undefined) ?? this.type });
  }

  replace_path(...args: unknown[]): DbtRelation {
    return this.copy(bindArgs('replace_path', ['database', 'schema', 'identifier'], args) as RelationFields);
  }

  without_identifier(): DbtRelation {
    return this.withPolicies(this.quote_policy, { ...this.include_policy, identifier: false });
  }

  /** The information_schema of this relation's database, or one of its views. */
  information_schema(viewName?: unknown): DbtRelation {
    return new DbtRelation(
      { schema: 'information_schema', identifier: typeof viewName === 'string' ? viewName : null },
      { database: true, schema: false, identifier: false },
      { database: false, schema: true, identifier: typeof viewName === 'string' },
    );
  }

  information_schema_only(): DbtRelation {
    return this.information_schema();
  }

  /**
   * dbt's relations are mappings (dbt_utils checks `obj is mapping and
   * obj.get('metadata', {}).get('type', '').endswith('Relation')`).
   */
  get(key: unknown, fallback: unknown = null): unknown {
    switch (key) {
      case 'metadata':
        return { type: 'PostgresRelation' };
      case 'path':
        return this.path;
      case 'type':
        return this.type;
      case 'quote_policy':
        return { ...this.quote_policy };
      case 'include_policy':
        return { ...this.include_policy };
      default:
        return fallback;
    }
  }

  /** Python's relation1 == relation2 compares the parts. */
  equals(other: unknown): boolean {
    return other instanceof DbtRelation && other.database === this.database && other.schema === this.schema && other.identifier === this.identifier;
  }

  copy(fields: RelationFields): DbtRelation {
    return new DbtRelation({ ...this.path, type: this.type, ...stripUndefined(fields) }, this.quote_policy, this.include_policy);
  }

  private withPolicies(quote: Parts, include: Parts): DbtRelation {
    return new DbtRelation({ ...this.path, type: this.type }, quote, include);
  }
}

function mergeParts(parts: Parts, changes: Record<string, unknown>): Parts {
  const next = { ...parts };
  for (const key of ['database', 'schema', 'identifier'] as const) {
    if (changes[key] !== undefined && changes[key] !== null) next[key] = Boolean(changes[key]);
  }
  return next;
}

function stripUndefined(fields: RelationFields): RelationFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as RelationFields;
}
