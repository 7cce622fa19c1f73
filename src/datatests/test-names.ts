/**
 * Generic test names the way dbt makes them (`not_null_orders_order_id`,
 * `accepted_values_orders_status__placed__shipped`), kept within PostgreSQL's
 * 63-byte identifier limit (the name is also the store_failures table) by cutting
 * the readable part and adding a hash of the full name.
 */
import { createHash } from 'node:crypto';

export const MAX_NAME_BYTES = 63;
const HASH_LENGTH = 10;

/**
 * `subject` is the model/seed name, or `<source>_<table>` for sources (prefixed
 * `source_` as dbt does). Arguments are flattened in key order, `column_name` first.
 */
export function genericTestName(test: { testName: string; namespace?: string }, subject: string, args: Record<string, unknown>): string {
  const parts = Object.keys(args)
    .sort((a, b) => (a === 'column_name' ? -1 : b === 'column_name' ? 1 : a.localeCompare(b)))
    .flatMap((key) => flatten(args[key]))
    .map((part) => part.replace(/[^0-9a-zA-Z_]+/g, '_'));
  const prefix = [test.namespace, test.testName, subject].filter(Boolean).join('_');
  return limitName(parts.length ? `${prefix}_${parts.join('__')}` : prefix);
}

/** Short names pass unchanged; long ones keep their start plus a hash, so they stay unique. */
export function limitName(full: string): string {
  if (Buffer.byteLength(full) <= MAX_NAME_BYTES) return full;
  let head = full.slice(0, MAX_NAME_BYTES - HASH_LENGTH - 1);
  while (Buffer.byteLength(head) > MAX_NAME_BYTES - HASH_LENGTH - 1) head = head.slice(0, -1);
  return `${head.replace(/_+$/, '')}_${shortHash(full)}`;
}

export function shortHash(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, HASH_LENGTH);
}

function flatten(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(flatten);
  if (typeof value === 'object') return Object.values(value).flatMap(flatten);
  return [String(value)];
}
