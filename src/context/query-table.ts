/**
 * What run_query() and load_result(...).table give a template: dbt's agate Table.
 * `table.rows[0][0]`, `table.rows[0]['name']`, `table.columns[0].values()`,
 * `table.columns['name'].values()`, `table.columns.items()`, `table.column_names`,
 * `for row in table`. Rows and the column list are lists that also answer by name,
 * as agate's MappedSequence does (through the engine's attribute protocol).
 */
import { NO_ATTRIBUTE, PY_ATTR } from '../jinja/index.js';

/** A list whose attribute lookups first try `lookup` (names, and the mapping methods). */
function mappedList<T>(items: readonly T[], names: readonly string[], extra: Record<string, unknown> = {}): T[] {
  const list = [...items] as T[] & { [PY_ATTR]?: (name: string) => unknown };
  const byName = (name: unknown) => {
    const index = names.indexOf(String(name));
    return index < 0 ? undefined : items[index];
  };
  const methods: Record<string, unknown> = {
    keys: () => Object.freeze([...names]),
    values: () => Object.freeze([...items]),
    items: () => names.map((name, i) => Object.freeze([name, items[i]])),
    get: (name: unknown, fallback: unknown = null) => byName(name) ?? fallback,
    dict: () => Object.fromEntries(names.map((name, i) => [name, items[i]])),
    ...extra,
  };
  Object.defineProperty(list, PY_ATTR, {
    value: (name: string) => (Object.hasOwn(methods, name) ? methods[name] : (byName(name) ?? NO_ATTRIBUTE)),
    enumerable: false,
  });
  return list;
}

export class QueryColumn {
  constructor(
    readonly name: string,
    readonly data_type: string,
    private readonly cells: readonly unknown[],
  ) {}
  values(): unknown[] {
    return Object.freeze([...this.cells]) as unknown[];
  }
  values_distinct(): unknown[] {
    return Object.freeze([...new Set(this.cells)]) as unknown[];
  }
  values_without_nulls(): unknown[] {
    return Object.freeze(this.cells.filter((v) => v !== null && v !== undefined)) as unknown[];
  }
  toString(): string {
    return `<agate.Column: ${this.name}>`;
  }
}

export class QueryTable {
  readonly rows: unknown[][];
  readonly columns: QueryColumn[];
  readonly column_names: string[];
  readonly column_types: string[];

  constructor(names: readonly string[], types: readonly string[], data: readonly (readonly unknown[])[]) {
    this.column_names = Object.freeze([...names]) as string[];
    this.column_types = Object.freeze([...types]) as string[];
    const rows = data.map((values) => mappedList(values, names));
    this.rows = mappedList(rows, []);
    this.columns = mappedList(
      names.map(
        (name, i) =>
          new QueryColumn(
            name,
            types[i] ?? 'Text',
            data.map((row) => row[i]),
          ),
      ),
      names,
    );
  }

  get length(): number {
    return this.rows.length;
  }

  *[Symbol.iterator](): Iterator<unknown[]> {
    yield* this.rows;
  }

  /** The rows as objects by column name, for TypeScript callers. */
  records(): Record<string, unknown>[] {
    return this.rows.map((row) => Object.fromEntries(this.column_names.map((name, i) => [name, row[i]])));
  }

  /** The rows as lists: load_result(...)['data']. */
  matrix(): unknown[][] {
    return this.rows.map((row) => Object.freeze([...row]) as unknown[]);
  }

  print_table(): string {
    return [this.column_names.join(' | '), ...this.rows.map((r) => r.map(String).join(' | '))].join('\n');
  }

  toString(): string {
    return `<agate.Table: ${this.rows.length} rows, columns ${this.column_names.join(', ')}>`;
  }
}
