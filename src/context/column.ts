/**
 * dbt's Column (api.Column, what adapter.get_columns_in_relation returns), with
 * PostgreSQL's type names: `data_type` is what DDL needs, the is_* tests classify.
 */
import { ProjectError } from '../errors.js';
import { bindArgs } from './call-args.js';

/** Portable type labels to PostgreSQL's; other names pass through. */
const TYPE_LABELS: Record<string, string> = { STRING: 'TEXT' };
const STRING_TYPES = ['text', 'character varying', 'character', 'varchar'];
const FLOAT_TYPES = ['real', 'float4', 'float', 'double precision', 'float8', 'double'];
const INTEGER_TYPES = ['smallint', 'integer', 'bigint', 'smallserial', 'serial', 'bigserial', 'int2', 'int4', 'int8', 'serial2', 'serial4', 'serial8'];
const NUMERIC_TYPES = ['numeric', 'decimal'];

export class DbtColumn {
  constructor(
    readonly column: string,
    readonly dtype: string,
    readonly char_size: number | null = null,
    readonly numeric_precision: number | null = null,
    readonly numeric_scale: number | null = null,
  ) {}

  static translate_type(dtype: unknown): string {
    const text = String(dtype);
    return TYPE_LABELS[text.toUpperCase()] ?? text;
  }

  static create(...args: unknown[]): DbtColumn {
    const { name, label_or_dtype } = bindArgs('Column.create', ['name', 'label_or_dtype'], args);
    return new DbtColumn(String(name), DbtColumn.translate_type(label_or_dtype));
  }

  static string_type(size: unknown): string {
    return `character varying(${size})`;
  }

  static numeric_type(dtype: unknown, precision: unknown, scale: unknown): string {
    return precision === null || precision === undefined || scale === null || scale === undefined ? String(dtype) : `${dtype}(${precision},${scale})`;
  }

  /** "numeric(10,2)" -> numeric with precision 10 and scale 2; "varchar(20)" -> size 20. */
  static from_description(name: unknown, rawDataType: unknown): DbtColumn {
    const match = /^([^(]+)(\(([^)]+)\))?/.exec(String(rawDataType));
    if (!match) throw new ProjectError(`could not interpret data type "${rawDataType}"`);
    const parts = match[3]?.split(',').map((p) => Number(p.trim())) ?? [];
    if (parts.some((p) => !Number.isInteger(p))) throw new ProjectError(`could not interpret data type "${rawDataType}": its size is not a whole number`);
    return parts.length === 2
      ? new DbtColumn(String(name), match[1]!.trim(), null, parts[0], parts[1])
      : new DbtColumn(String(name), match[1]!.trim(), parts[0] ?? null);
  }

  get name(): string {
    return this.column;
  }

  get quoted(): string {
    return `"${this.column}"`;
  }

  get data_type(): string {
    const dtype = this.dtype.toLowerCase();
    // PostgreSQL: text and unsized varchar stay as they are
    if (dtype === 'text' || (dtype === 'character varying' && this.char_size === null)) return this.dtype;
    if (this.is_string()) return DbtColumn.string_type(this.string_size());
    if (this.is_numeric()) return DbtColumn.numeric_type(this.dtype, this.numeric_precision, this.numeric_scale);
    return this.dtype;
  }

  get expanded_data_type(): string {
    return this.data_type;
  }

  is_string(): boolean {
    return STRING_TYPES.includes(this.dtype.toLowerCase());
  }
  is_float(): boolean {
    return FLOAT_TYPES.includes(this.dtype.toLowerCase());
  }
  is_integer(): boolean {
    return INTEGER_TYPES.includes(this.dtype.toLowerCase());
  }
  is_numeric(): boolean {
    return NUMERIC_TYPES.includes(this.dtype.toLowerCase());
  }
  is_number(): boolean {
    return this.is_integer() || this.is_numeric() || this.is_float();
  }

  string_size(): number {
    if (!this.is_string()) throw new ProjectError(`string_size() of ${this.column}, which is not a string column (${this.dtype})`);
    return this.dtype === 'text' || this.char_size === null ? 256 : this.char_size;
  }

  can_expand_to(other: DbtColumn): boolean {
    return this.is_string() && other.is_string() && other.string_size() > this.string_size();
  }

  literal(value: unknown): string {
    return `${value}::${this.data_type}`;
  }

  toString(): string {
    return `<Column ${this.column} (${this.data_type})>`;
  }
}
