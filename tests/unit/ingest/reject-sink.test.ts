import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RejectSink } from '../../../src/ingest/reject-sink.js';

async function drained(sink: RejectSink): Promise<string[][]> {
  const parts: Buffer[] = [];
  for await (const part of sink.drain()) parts.push(Buffer.from(part));
  return parse(Buffer.concat(parts)) as string[][];
}

describe('RejectSink', () => {
  it('serialises rejects as COPY rows, with NUL and invalid UTF-8 made visible', async () => {
    const sink = new RejectSink('seeds/a.csv', '2024-01-01T00:00:00.000Z');
    sink.add({ line: 7, code: 'nul_byte', message: 'a NUL byte (0x00) at byte 3', raw: Buffer.from('a,\0"b') });
    sink.add({ line: 9, code: 'invalid_utf8', message: 'invalid UTF-8 at byte 1 (0xff)', raw: Buffer.from([0xff, 0x2c]) });
    expect(await drained(sink)).toEqual([
      ['seeds/a.csv', '7', 'nul_byte', 'a NUL byte (0x00) at byte 3', 'a,\uFFFD"b', '2024-01-01T00:00:00.000Z'],
      ['seeds/a.csv', '9', 'invalid_utf8', 'invalid UTF-8 at byte 1 (0xff)', '\uFFFD,', '2024-01-01T00:00:00.000Z'],
    ]);
    sink.dispose();
  });

  it('spills to a temporary file past its memory budget and gives every row back in order', async () => {
    const sink = new RejectSink('seeds/a.csv', 'now');
    const raw = Buffer.from('x'.repeat(10_000));
    for (let line = 2; line < 1002; line++) sink.add({ line, code: 'too_few_fields', message: '1 fields where the header has 2', raw });
    const rows = await drained(sink);
    expect(rows.map((r) => Number(r[1]))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
    expect(sink.count).toBe(1000);
    sink.dispose();
  });
});
