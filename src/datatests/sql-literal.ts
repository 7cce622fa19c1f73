/**
 * The one place test values (accepted_values, thresholds' companions) become SQL.
 * They come from the project, not from users, but are quoted as if they did not.
 */
import { quoteLiteral } from '../contract/index.js';
import { ProjectError } from '../errors.js';

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * `quote: true` (dbt's default): every value a string literal ('1' compares fine
 * with an integer column). `quote: false`: numbers, booleans and null as such; a
 * string only when it is a number, since anything else would be raw SQL.
 */
export function sqlLiteral(value: unknown, quote = true): string {
  if (value === null || value === undefined) return 'null';
  if (quote) {
    if (typeof value === 'object') throw new ProjectError(`cannot use ${JSON.stringify(value)} as a value`);
    return quoteLiteral(String(value));
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && NUMBER.test(value.trim())) return value.trim();
  throw new ProjectError(`with quote: false, ${JSON.stringify(value)} is not a number or boolean`, {
    hint: 'remove quote: false to compare as text, or list numbers only',
  });
}
