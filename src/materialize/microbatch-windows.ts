/**
 * dbt's microbatch batches (dbt 1.9 MicrobatchBuilder): half-open UTC windows
 * [start, end) of one `batch_size` each. Pure: "now" is passed in.
 */
import { UsageError } from '../errors.js';
import { parseTimestamp, type BatchSize, type MicrobatchConfig } from '../config/microbatch-config.js';

export { formatBatchTime } from '../config/microbatch-config.js';

export interface BatchWindow {
  start: Date;
  end: Date;
}

export function truncate(time: Date, size: BatchSize): Date {
  const y = time.getUTCFullYear();
  const m = time.getUTCMonth();
  switch (size) {
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'day':
      return new Date(Date.UTC(y, m, time.getUTCDate()));
    case 'hour':
      return new Date(Date.UTC(y, m, time.getUTCDate(), time.getUTCHours()));
  }
}

export function offset(time: Date, size: BatchSize, count: number): Date {
  const t = truncate(time, size);
  switch (size) {
    case 'year':
      return new Date(Date.UTC(t.getUTCFullYear() + count, 0, 1));
    case 'month':
      return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + count, 1));
    case 'day':
      return new Date(t.getTime() + count * 86_400_000);
    case 'hour':
      return new Date(t.getTime() + count * 3_600_000);
  }
}

/** The first boundary at or after `time`. */
export function ceiling(time: Date, size: BatchSize): Date {
  const t = truncate(time, size);
  return t.getTime() === time.getTime() ? t : offset(t, size, 1);
}

export interface WindowRequest {
  /** --event-time-start / --event-time-end. */
  start?: Date;
  end?: Date;
  now: Date;
  /** The table exists and no --full-refresh: start from the latest batch minus lookback. */
  incremental: boolean;
  /** The table exists at all (a missing one is built from `begin`, whatever the window). */
  exists: boolean;
}

/**
 * The batches to run. With --event-time-start/end: every batch between them. An
 * incremental run without them: the last `lookback` batches and the current one.
 * The first run (with or without them) or --full-refresh without them: ONE window from `begin`:
 * the rows are the union of the batches' rows (each depends only on its window),
 * and one statement instead of one per day keeps a full build as fast as a table's.
 */
export function batchWindows(config: MicrobatchConfig, request: WindowRequest): BatchWindow[] {
  const end = request.end ?? ceiling(request.now, config.batchSize);
  // A first build covers the whole history up to `end`: a scheduler's first daily run
  // must not leave a table holding one day (dbt would build only the given window).
  const fromBegin = request.start ? !request.exists : !request.incremental;
  if (fromBegin) return end > config.begin ? [{ start: config.begin, end }] : [];
  const start = request.start ? truncate(request.start, config.batchSize) : offset(request.now, config.batchSize, -config.lookback);
  const windows: BatchWindow[] = [];
  for (let from = start; from < end; ) {
    const to = offset(from, config.batchSize, 1);
    windows.push({ start: from, end: to < end ? to : end });
    from = to;
  }
  return windows;
}

/** `--event-time-start` and `--event-time-end` come together, start before end. */
export function readEventTimeFlags(start?: string, end?: string): { start?: Date; end?: Date } {
  if (start === undefined && end === undefined) return {};
  if (start === undefined || end === undefined) {
    throw new UsageError('--event-time-start and --event-time-end must be given together', {
      hint: 'e.g. --event-time-start 2025-12-30 --event-time-end 2025-12-31',
    });
  }
  const [from, to] = [parseTimestamp(start), parseTimestamp(end)];
  if (!from || !to)
    throw new UsageError(`--event-time-start/--event-time-end must be ISO dates or timestamps (got "${start}", "${end}")`, {
      hint: 'e.g. 2025-12-30 or 2025-12-30T00:00:00+00:00',
    });
  if (from >= to) throw new UsageError(`--event-time-start (${start}) must be before --event-time-end (${end})`);
  return { start: from, end: to };
}
