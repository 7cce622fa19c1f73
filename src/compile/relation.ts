/**
 * Relations and the one function through which every identifier reaches SQL.
 */
import type { RelationName } from '../parse/manifest.js';

/** Always quotes: names keep their case and can never break out into SQL. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal for the rare places that cannot take a parameter (DDL). */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
  return `'${value.replace(/'/g, "''")}'`;
}

export class Relation implements RelationName {
  constructor(
    readonly schema: string,
    readonly identifier: string,
  ) {}

  static of(name: RelationName): Relation {
    return new Relation(name.schema, name.identifier);
  }

  /** dbt-compatible aliases used in templates: `{{ this.name }}`, `{{ this.table }}`. */
  get name(): string {
    return this.identifier;
  }
  get table(): string {
    return this.identifier;
  }
  get database(): string | undefined {
    return undefined;
  }

  /** The same schema, another name: staging and backup relations. */
  withSuffix(suffix: string): Relation {
    return new Relation(this.schema, truncateIdentifier(this.identifier, suffix));
  }

  toString(): string {
    return `${quoteIdentifier(this.schema)}.${quoteIdentifier(this.identifier)}`;
  }

  /** schema.identifier without quotes, for messages. */
  get display(): string {
    return `${this.schema}.${this.identifier}`;
  }
}

/** Keeps `name + suffix` within PostgreSQL's 63-byte identifier limit. */
export function truncateIdentifier(name: string, suffix: string): string {
  const budget = 63 - Buffer.byteLength(suffix);
  let base = name;
  while (Buffer.byteLength(base) > budget) base = base.slice(0, -1);
  return base + suffix;
}
