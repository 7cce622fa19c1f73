/** dbt 1.9's batch windows: truncation per batch_size, lookback, the flags, a first build from begin. */
import { describe, expect, it } from 'vitest';
import { readMicrobatchConfig, type MicrobatchConfig } from '../../../src/config/microbatch-config.js';
import { batchWindows, ceiling, formatBatchTime, offset, readEventTimeFlags, truncate } from '../../../src/materialize/index.js';

const at = (iso: string) => new Date(iso);
const spans = (windows: { start: Date; end: Date }[]) => windows.map((w) => [formatBatchTime(w.start), formatBatchTime(w.end)]);
const config = (overrides: Partial<MicrobatchConfig> = {}): MicrobatchConfig => ({
  eventTime: 'event_time',
  batchSize: 'day',
  begin: at('2025-01-01T00:00:00Z'),
  lookback: 1,
  ...overrides,
});

describe('batch arithmetic', () => {
  it('truncates, offsets and ceils in UTC for every batch size', () => {
    const t = at('2024-02-29T13:45:10Z');
    expect(truncate(t, 'hour').toISOString()).toBe('2024-02-29T13:00:00.000Z');
    expect(truncate(t, 'day').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(truncate(t, 'month').toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(truncate(t, 'year').toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(offset(t, 'month', 1).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(offset(t, 'month', -2).toISOString()).toBe('2023-12-01T00:00:00.000Z');
    expect(offset(t, 'year', 1).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(ceiling(t, 'day').toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(ceiling(at('2024-03-01T00:00:00Z'), 'day').toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });
});

describe('batchWindows', () => {
  it('an incremental run: the current batch and `lookback` before it', () => {
    const now = at('2025-01-10T05:00:00Z');
    expect(spans(batchWindows(config(), { now, incremental: true, exists: true }))).toEqual([
      ['2025-01-09 00:00:00+00:00', '2025-01-10 00:00:00+00:00'],
      ['2025-01-10 00:00:00+00:00', '2025-01-11 00:00:00+00:00'],
    ]);
    expect(batchWindows(config({ lookback: 0 }), { now, incremental: true, exists: true })).toHaveLength(1);
    expect(batchWindows(config({ lookback: 3, batchSize: 'hour' }), { now: at('2025-01-10T05:30:00Z'), incremental: true, exists: true })).toHaveLength(4);
  });

  it('with --event-time-start/end: every batch between them, the last one cut at the end', () => {
    const windows = batchWindows(config({ batchSize: 'month' }), {
      start: at('2025-01-15T00:00:00Z'),
      end: at('2025-03-10T00:00:00Z'),
      now: at('2026-01-01T00:00:00Z'),
      incremental: true,
      exists: true,
    });
    expect(spans(windows)).toEqual([
      ['2025-01-01 00:00:00+00:00', '2025-02-01 00:00:00+00:00'],
      ['2025-02-01 00:00:00+00:00', '2025-03-01 00:00:00+00:00'],
      ['2025-03-01 00:00:00+00:00', '2025-03-10 00:00:00+00:00'],
    ]);
  });

  it("a first build or a full refresh: one window from begin (to the flags' end when the table is missing)", () => {
    const now = at('2025-01-10T05:00:00Z');
    expect(spans(batchWindows(config(), { now, incremental: false, exists: false }))).toEqual([['2025-01-01 00:00:00+00:00', '2025-01-11 00:00:00+00:00']]);
    const flags = { start: at('2025-01-05T00:00:00Z'), end: at('2025-01-06T00:00:00Z'), now };
    expect(spans(batchWindows(config(), { ...flags, incremental: false, exists: false }))).toEqual([
      ['2025-01-01 00:00:00+00:00', '2025-01-06 00:00:00+00:00'],
    ]);
    // --full-refresh with the flags on an existing table: its batches (the first one rebuilds).
    expect(batchWindows(config(), { ...flags, incremental: false, exists: true })).toHaveLength(1);
    expect(batchWindows(config({ begin: at('2030-01-01T00:00:00Z') }), { now, incremental: false, exists: false })).toEqual([]);
  });
});

describe('settings and flags', () => {
  it('reads begin as UTC, lookback 1 by default, and names what is wrong', () => {
    const { config: read } = readMicrobatchConfig({ event_time: 't', batch_size: 'day', begin: '2024-01-01' });
    expect(read).toEqual({ eventTime: 't', batchSize: 'day', begin: at('2024-01-01T00:00:00Z'), lookback: 1 });
    expect(readMicrobatchConfig({ event_time: 't', batch_size: 'week', begin: 'soon', lookback: -1 }).problems).toEqual([
      'batch_size: must be one of hour, day, month, year (got "week")',
      'begin: a microbatch model needs begin=\'YYYY-MM-DD\' (or an ISO timestamp), got "soon"',
      'lookback: must be an integer >= 0',
    ]);
  });

  it('takes both flags or neither, as ISO dates or timestamps with a zone', () => {
    expect(readEventTimeFlags()).toEqual({});
    expect(readEventTimeFlags('2025-01-01', '2025-01-02T00:00:00+00:00')).toEqual({ start: at('2025-01-01T00:00:00Z'), end: at('2025-01-02T00:00:00Z') });
    expect(() => readEventTimeFlags('2025-01-01')).toThrow(/must be given together/);
    expect(() => readEventTimeFlags('2025-01-02', '2025-01-01')).toThrow(/must be before/);
    expect(() => readEventTimeFlags('yesterday', '2025-01-01')).toThrow(/ISO dates or timestamps/);
  });
});
