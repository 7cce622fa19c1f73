/**
 * The built-in generic tests: each turns (model, column, arguments) into SQL that
 * returns the failing rows. dbt's core tests plus the dbt_utils ones the pipeline
 * uses. `model` is SQL already (a quoted relation or a `where` subquery); columns
 * go through quoteIdentifier, values through sqlLiteral.
 */
import { quoteIdentifier } from '../contract/index.js';
import { ProjectError } from '../errors.js';
import { sqlLiteral } from './sql-literal.js';

export interface GenericTestInput {
  /** SQL for the tested relation. */
  model: string;
  column?: string;
  /** The column as SQL, when it is not simply the quoted name (a dbt project's, see TestNode.columnSql). */
  columnSql?: string;
  /** Arguments with ref()/source() already resolved to relations. */
  args: Record<string, unknown>;
}

export interface GenericTest {
  needsColumn: boolean;
  /** Argument problems found at parse time (missing `values:`, ...). */
  check(args: Record<string, unknown>): string[];
  sql(input: GenericTestInput): string;
}

const column = (input: GenericTestInput) => input.columnSql ?? quoteIdentifier(input.column!);
const noCheck = () => [];

const notNull: GenericTest = {
  needsColumn: true,
  check: noCheck,
  sql: (input) => `select *\nfrom ${input.model}\nwhere ${column(input)} is null`,
};

const unique: GenericTest = {
  needsColumn: true,
  check: noCheck,
  sql: (input) =>
    `select ${column(input)} as unique_field, count(*) as n_records\nfrom ${input.model}\nwhere ${column(input)} is not null\ngroup by ${column(input)}\nhaving count(*) > 1`,
};

const acceptedValues: GenericTest = {
  needsColumn: true,
  check: (args) => (Array.isArray(args.values) && args.values.length > 0 ? [] : ['values: list the accepted values']),
  sql: (input) => {
    const quote = input.args.quote !== false;
    const values = (input.args.values as unknown[]).map((v) => sqlLiteral(v, quote)).join(', ');
    return [
      'with all_values as (',
      `    select ${column(input)} as value_field, count(*) as n_records`,
      `    from ${input.model}`,
      `    group by ${column(input)}`,
      ')',
      'select value_field, n_records',
      'from all_values',
      `where value_field not in (${values})`,
    ].join('\n');
  },
};

const relationships: GenericTest = {
  needsColumn: true,
  check: (args) => [
    ...(args.to === undefined ? ["to: name the parent, e.g. to: ref('customers')"] : []),
    ...(typeof args.field === 'string' ? [] : ['field: name the column of the parent']),
  ],
  sql: (input) =>
    [
      'with child as (',
      `    select ${column(input)} as from_field`,
      `    from ${input.model}`,
      `    where ${column(input)} is not null`,
      '),',
      'parent as (',
      `    select ${quoteIdentifier(String(input.args.field))} as to_field`,
      `    from ${String(input.args.to)}`,
      ')',
      'select child.from_field',
      'from child',
      'left join parent on child.from_field = parent.to_field',
      'where parent.to_field is null',
    ].join('\n'),
};

/** With a column, an expression that starts with an operator applies to it (dbt_utils: `>= 0`). */
const STARTS_WITH_OPERATOR = /^\s*(=|!=|<>|<=|>=|<|>|~|!~|is\b|in\b|not\b|between\b|like\b|ilike\b|similar\b)/i;

const expressionIsTrue: GenericTest = {
  needsColumn: false,
  check: (args) => (typeof args.expression === 'string' && args.expression.trim() ? [] : ['expression: give the SQL condition every row must meet']),
  sql: (input) => {
    const expression = String(input.args.expression);
    const condition = input.column && STARTS_WITH_OPERATOR.test(expression) ? `${column(input)} ${expression}` : expression;
    return `select *\nfrom ${input.model}\nwhere not (${condition})`;
  },
};

const uniqueCombination: GenericTest = {
  needsColumn: false,
  check: (args) =>
    Array.isArray(args.combination_of_columns) && args.combination_of_columns.length > 0 && args.combination_of_columns.every((c) => typeof c === 'string')
      ? []
      : ['combination_of_columns: list the column names'],
  sql: (input) => {
    const columns = (input.args.combination_of_columns as string[]).map(quoteIdentifier).join(', ');
    return `select ${columns}, count(*) as n_records\nfrom ${input.model}\ngroup by ${columns}\nhaving count(*) > 1`;
  },
};

const rowCount: GenericTest = {
  needsColumn: false,
  check: (args) => {
    const bad = ['min', 'max'].filter((k) => args[k] !== undefined && args[k] !== null && !Number.isInteger(args[k]));
    if (bad.length) return bad.map((k) => `${k}: must be a whole number`);
    return args.min === undefined && args.max === undefined ? ['give min:, max: or both'] : [];
  },
  sql: (input) => {
    const bounds = [
      ...(input.args.min !== undefined && input.args.min !== null ? [`count(*) < ${Number(input.args.min)}`] : []),
      ...(input.args.max !== undefined && input.args.max !== null ? [`count(*) > ${Number(input.args.max)}`] : []),
    ];
    return `select count(*) as row_count\nfrom ${input.model}\nhaving ${bounds.join(' or ')}`;
  },
};

/**
 * The model's `compare_expression` (default count(*)) must equal the compare model's
 * `compare_model_expression` (default count(*)): e.g. sum(users) of a summary equals
 * the users table's row count, or raw rows = clean + quarantined.
 */
const equalRowCount: GenericTest = {
  needsColumn: false,
  check: (args) => (args.compare_model === undefined ? ["compare_model: name the other model, e.g. compare_model: ref('users')"] : []),
  sql: (input) => {
    const expression = String(input.args.compare_expression ?? input.args.expression ?? 'count(*)');
    const compareExpression = String(input.args.compare_model_expression ?? 'count(*)');
    return [
      `with a as (select ${expression} as model_value from ${input.model}),`,
      `b as (select ${compareExpression} as compare_value from ${String(input.args.compare_model)})`,
      'select a.model_value, b.compare_value',
      'from a cross join b',
      'where a.model_value is distinct from b.compare_value',
    ].join('\n');
  },
};

export const GENERIC_TESTS: Record<string, GenericTest> = {
  not_null: notNull,
  unique,
  accepted_values: acceptedValues,
  relationships,
  expression_is_true: expressionIsTrue,
  unique_combination_of_columns: uniqueCombination,
  row_count: rowCount,
  equal_row_count: equalRowCount,
  equal_rowcount: equalRowCount,
};

/** dbt core and dbt_utils names map to the built-ins; other namespaces must be project macros. */
export function builtinTest(name: string, namespace: string | undefined): GenericTest | undefined {
  if (namespace && namespace !== 'dbt' && namespace !== 'dbt_utils') return undefined;
  return Object.hasOwn(GENERIC_TESTS, name) ? GENERIC_TESTS[name] : undefined;
}

export function genericTestSql(name: string, test: GenericTest, input: GenericTestInput): string {
  if (test.needsColumn && !input.column) {
    throw new ProjectError(`test ${name} needs a column: declare it under columns:`);
  }
  return test.sql(input);
}
