/**
 * A relation (schema + identifier) as templates and SQL builders use it; quoting
 * itself is contract/quoting.ts.
 */
import { qualifiedName, truncateIdentifier } from '../contract/index.js';
import type { RelationName } from '../parse/manifest.js';

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
    return qualifiedName(this.schema, this.identifier);
  }

  /** schema.identifier without quotes, for messages. */
  get display(): string {
    return `${this.schema}.${this.identifier}`;
  }
}
