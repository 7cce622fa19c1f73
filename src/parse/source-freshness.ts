/**
 * dbt's source freshness declarations: `loaded_at_field` and `freshness: {warn_after,
 * error_after, filter}` on a source and its tables (also under `config:`, as dbt 1.9
 * allows). A table's freshness is merged over its source's; `freshness: null` on a
 * table turns the check off for it. Also `event_time`, read the same way.
 */
import { isObject } from '../config/folder-config.js';
import { ProjectError, type ErrorCollector } from '../errors.js';
import type { FreshnessThreshold, SourceFreshness } from './manifest.js';

export const FRESHNESS_PERIODS = ['minute', 'hour', 'day'] as const;

interface Where {
  file: string;
  line?: number;
  name: string;
}

/** A key of a source or table entry, under `config:` (dbt 1.9) or beside it. */
function pick(key: string, entry: Record<string, unknown>): unknown {
  return isObject(entry.config) && key in entry.config ? entry.config[key] : entry[key];
}

/** The freshness rule of one source table, or undefined when it has none. */
export function readFreshness(source: Record<string, unknown>, table: Record<string, unknown>, where: Where, errors: ErrorCollector) {
  const loadedAt = pick('loaded_at_field', table) ?? pick('loaded_at_field', source);
  const tableRule = pick('freshness', table);
  const sourceRule = pick('freshness', source);
  let freshness: SourceFreshness | undefined;
  if (tableRule !== null && (isObject(tableRule) || isObject(sourceRule))) {
    const merged = { ...(isObject(sourceRule) ? sourceRule : {}), ...(isObject(tableRule) ? tableRule : {}) };
    freshness = {
      warn_after: threshold(merged.warn_after, 'warn_after', where, errors),
      error_after: threshold(merged.error_after, 'error_after', where, errors),
      filter: typeof merged.filter === 'string' ? merged.filter : undefined,
    };
    if (!freshness.warn_after && !freshness.error_after) freshness = undefined;
  }
  if (loadedAt !== undefined && typeof loadedAt !== 'string') {
    errors.add(new ProjectError(`source ${where.name}: loaded_at_field must be a column name or an expression`, { file: where.file, line: where.line }));
  }
  return { loadedAtField: typeof loadedAt === 'string' ? loadedAt : undefined, freshness };
}

function threshold(value: unknown, key: string, where: Where, errors: ErrorCollector): FreshnessThreshold | undefined {
  if (value === undefined || value === null) return undefined;
  const count = isObject(value) ? value.count : undefined;
  const period = isObject(value) ? value.period : undefined;
  if (typeof count === 'number' && Number.isInteger(count) && count > 0 && (FRESHNESS_PERIODS as readonly unknown[]).includes(period)) {
    return { count, period: period as FreshnessThreshold['period'] };
  }
  errors.add(
    new ProjectError(`source ${where.name}: freshness ${key} needs a whole count above 0 and a period of ${FRESHNESS_PERIODS.join(', ')}`, {
      file: where.file,
      line: where.line,
      hint: `e.g. ${key}: {count: 12, period: hour}`,
    }),
  );
  return undefined;
}

/** Seconds in `count` periods. */
export function thresholdSeconds({ count, period }: FreshnessThreshold): number {
  return count * { minute: 60, hour: 3600, day: 86400 }[period];
}

/** dbt 1.9's `event_time` of a source table (the table's over its source's): what a microbatch batch filters it by. */
export function readSourceEventTime(source: Record<string, unknown>, table: Record<string, unknown>, where: Where, errors: ErrorCollector) {
  const eventTime = pick('event_time', table) ?? pick('event_time', source);
  if (eventTime === undefined || eventTime === null) return {};
  if (typeof eventTime === 'string' && eventTime.trim()) return { eventTime: eventTime.trim() };
  errors.add(
    new ProjectError(`source ${where.name}: event_time must be a column name or an expression`, {
      file: where.file,
      line: where.line,
      hint: 'write the timestamp column that says when each row happened, e.g. event_time: occurred_at',
    }),
  );
  return {};
}
