/**
 * A microbatch model's settings (dbt 1.9): `event_time`, `batch_size`, `begin`,
 * `lookback` (default 1), checked while parsing so a bad one fails before any run.
 */
export const BATCH_SIZES = ['hour', 'day', 'month', 'year'] as const;
export type BatchSize = (typeof BATCH_SIZES)[number];

export interface MicrobatchConfig {
  eventTime: string;
  batchSize: BatchSize;
  begin: Date;
  /** Batches before the latest one that an incremental run reprocesses (late data). */
  lookback: number;
}

/** The microbatch settings of a model's config, or what is wrong with them. */
export function readMicrobatchConfig(config: Record<string, unknown>): { config?: MicrobatchConfig; problems: string[] } {
  const problems: string[] = [];
  const eventTime = config.event_time;
  if (typeof eventTime !== 'string' || !eventTime.trim()) problems.push("event_time: a microbatch model needs event_time='<timestamp column>'");
  const batchSize = config.batch_size;
  if (!(BATCH_SIZES as readonly unknown[]).includes(batchSize))
    problems.push(`batch_size: must be one of ${BATCH_SIZES.join(', ')} (got ${JSON.stringify(batchSize ?? null)})`);
  const begin = parseTimestamp(config.begin);
  if (!begin) problems.push(`begin: a microbatch model needs begin='YYYY-MM-DD' (or an ISO timestamp), got ${JSON.stringify(config.begin ?? null)}`);
  const lookback = config.lookback ?? 1;
  if (!Number.isInteger(lookback) || (lookback as number) < 0) problems.push('lookback: must be an integer >= 0');
  if (problems.length) return { problems };
  return { config: { eventTime: eventTime as string, batchSize: batchSize as BatchSize, begin: begin!, lookback: lookback as number }, problems };
}

/** An ISO date or timestamp, read as UTC when it names no zone (as dbt does). */
export function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return undefined;
  const text = value.trim().replace(' ', 'T');
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text.length === 10 ? `${text}T00:00:00` : text}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** How a window is written in SQL filters and run_results: dbt's 'YYYY-MM-DD HH:MM:SS+00:00'. */
export function formatBatchTime(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}
