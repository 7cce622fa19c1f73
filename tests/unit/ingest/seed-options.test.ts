import { describe, expect, it } from 'vitest';
import { ProjectError } from '../../../src/errors.js';
import { describeSeedLoad, groupDigits } from '../../../src/ingest/seed-load-result.js';
import { DEFAULT_MAX_RECORD_LINES, seedOptions } from '../../../src/ingest/seed-options.js';
import type { SeedNode } from '../../../src/parse/manifest.js';

function seed(config: Record<string, unknown>): SeedNode {
  return { originalFilePath: 'seeds/events.csv', config: { enabled: true, materialized: 'seed', tags: [], ...config } } as unknown as SeedNode;
}

describe('seed options', () => {
  it('defaults to a typed seed with commas', () => {
    expect(seedOptions(seed({}))).toMatchObject({ rawLanding: false, delimiter: ',', maxRecordLines: DEFAULT_MAX_RECORD_LINES });
    expect(seedOptions(seed({ raw_landing: true, delimiter: ';', max_record_lines: 5 }))).toMatchObject({
      rawLanding: true,
      delimiter: ';',
      maxRecordLines: 5,
    });
    expect(seedOptions(seed({})).copyStreams).toBeUndefined();
    expect(seedOptions(seed({ copy_streams: 3 })).copyStreams).toBe(3);
  });

  it('rejects values it cannot use, naming the file', () => {
    for (const config of [
      { raw_landing: 'yes' },
      { delimiter: '||' },
      { delimiter: '"' },
      { delimiter: 'N' },
      { max_record_lines: 0 },
      { max_record_bytes: 1.5 },
      { copy_streams: 0 },
      { copy_streams: 'many' },
      { raw_landing: true, column_types: { a: 'int' } },
    ]) {
      expect(() => seedOptions(seed(config)), JSON.stringify(config)).toThrow(ProjectError);
    }
    expect(() => seedOptions(seed({ delimiter: '||' }))).toThrow(/delimiter: must be one ASCII character/);
  });
});

describe('describeSeedLoad', () => {
  it('shows records read, loaded and rejected for a raw landing', () => {
    expect(describeSeedLoad({ rows: 999_988, rejected: 12, records: 1_000_000, lines: 1_000_001, columns: [], rejectsTable: 'landing.load_rejects' })).toEqual({
      verb: 'loaded seed',
      message: '1,000,001 lines, 1,000,000 records read: 999,988 loaded, 12 rejected (see landing.load_rejects)',
    });
    expect(describeSeedLoad({ rows: 3, rejected: 0, records: 3, columns: [] }).verb).toBe('loaded seed');
  });

  it('names the COPY streams when several loaded, and the files of an inbox', () => {
    const base = { rows: 10, rejected: 0, records: 10, lines: 11, columns: [], rejectsTable: 'landing.load_rejects' };
    expect(describeSeedLoad({ ...base, copyStreams: 1 }).message).toBe('11 lines, 10 records read: 10 loaded, 0 rejected');
    expect(describeSeedLoad({ ...base, copyStreams: 3 }).message).toBe('11 lines, 10 records read: 10 loaded, 0 rejected on 3 COPY streams');
    expect(describeSeedLoad({ ...base, files: { landed: 1, unchanged: 4 } }).message).toBe(
      '1 file landed, 4 unchanged: 11 lines, 10 records read: 10 loaded, 0 rejected',
    );
    expect(describeSeedLoad({ ...base, rows: 0, files: { landed: 0, unchanged: 5 } }).message).toBe('no new or changed file (5 unchanged)');
  });

  it('groups digits as toLocaleString(en-US) does', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_988, 1_013_160, 123_456_789_012]) expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});
