/**
 * The hand-written scanner against csv-parse (strict defaults, any line end), on
 * generated corpora: they must agree on what is valid CSV and on every field.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { decodeFields, scanRecord } from '../../../src/ingest/scan-record.js';
import { expectConserved, scanEverywhere, span } from './scan-helpers.js';

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const CSV_PARSE_OPTIONS = { relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] };

function csvParse(text: string): string[][] | 'error' {
  try {
    return parse(text, CSV_PARSE_OPTIONS) as string[][];
  } catch {
    return 'error';
  }
}

function scanRecords(text: string): string[][] | 'error' {
  const buf = Buffer.from(text);
  const records: string[][] = [];
  for (let pos = 0; pos < buf.length; ) {
    const scan = scanRecord(buf, pos, buf.length, true, { delimiter: 0x2c, maxRecordLines: 1000 });
    if (scan.kind !== 'record') return 'error';
    records.push(decodeFields(buf, pos, scan.contentEnd, 0x2c).map((f) => f.toString()));
    pos = scan.next;
  }
  return records;
}

describe('scanRecord agrees with csv-parse', () => {
  it('on 20,000 random strings over the CSV alphabet', () => {
    const rnd = prng(7);
    const alphabet = ['a', 'b', ',', '"', '"', '\n', '\r', ' ', 'é', '\\'];
    let valid = 0;
    for (let k = 0; k < 20_000; k++) {
      const text = Array.from({ length: 1 + rnd(16) }, () => alphabet[rnd(alphabet.length)]).join('');
      const expected = csvParse(text);
      expect(scanRecords(text), JSON.stringify(text)).toEqual(expected);
      if (expected !== 'error') valid++;
    }
    expect(valid).toBeGreaterThan(2000); // the corpus exercises both sides
  });
});

describe('RecordScanner on a generated corpus', () => {
  const rnd = prng(42);
  const pieces = ['x', 'yz', 'é', '€', '😀', ',', '"', '\n', '\r\n', '\r', ' ', '\\', '\\N', ''];

  function value(): string {
    return Array.from({ length: rnd(4) }, () => pieces[rnd(pieces.length)]).join('');
  }
  function field(v: string): string {
    return /[",\r\n]/.test(v) || rnd(5) === 0 ? `"${v.replace(/"/g, '""')}"` : v;
  }

  it('loads every record of valid CSV with the same fields as csv-parse and the right line numbers', () => {
    const columns = 4;
    const expected: { line: number; fields: string[] }[] = [];
    let text = 'a,b,c,d\n';
    let line = 2;
    for (let r = 0; r < 3000; r++) {
      const fields = Array.from({ length: columns }, value);
      expected.push({ line, fields });
      text += fields.map(field).join(',') + ['\n', '\r\n', '\r'][rnd(3)];
      line += span(fields);
    }
    const parsed = parse(text, CSV_PARSE_OPTIONS) as string[][];
    expect(parsed.slice(1)).toEqual(expected.map((e) => e.fields));
    const result = scanEverywhere(text);
    expect(result.rejects).toEqual([]);
    expect(result.rows).toEqual(expected);
    expectConserved(result, text);
  });

  it('keeps counts conserved and chunking-independent on CSV with broken lines mixed in', () => {
    const broken = ['1,"open', 'a"b,c,d,e', '"x"y,1,2,3', '1,2,3', '1,2,3,4,5', '', 'é\0,1,2,3', '"a\nb",1,2', '"ok\nspan",1,2,3'];
    const invalidUtf8 = Buffer.from([0xff, 0x2c, 0x31, 0x2c, 0x32, 0x2c, 0x33]);
    const parts: Buffer[] = [Buffer.from('a,b,c,d\n')];
    for (let r = 0; r < 2000; r++) {
      const kind = rnd(12);
      if (kind === 0) parts.push(invalidUtf8);
      else if (kind < 3) parts.push(Buffer.from(broken[rnd(broken.length)]!));
      else parts.push(Buffer.from(Array.from({ length: 4 }, () => field(value())).join(',')));
      parts.push(Buffer.from(['\n', '\r\n', '\r'][rnd(3)]!));
    }
    const bytes = Buffer.concat(parts);
    const result = scanEverywhere(bytes);
    expect(result.counts.rejected).toBeGreaterThan(100);
    expect(result.counts.loaded).toBeGreaterThan(1000);
    expectConserved(result, bytes);
    for (const reject of result.rejects) expect(reject.message.length).toBeGreaterThan(10);
  });
});

describe('plain lines', () => {
  it('plain lines of every length with special bytes anywhere are conserved with every delimiter and chunk size', () => {
    const rnd = prng(3);
    const plain = 'abcdefghijklmnopqrstuvwxyz0123456789-:T é';
    for (const delimiter of [',', ';', '\t']) {
      let text = ['a', 'b', 'c'].join(delimiter) + '\n';
      for (let r = 0; r < 12_000; r++) {
        // 3 fields most of the time; lengths vary; now and then a special byte or a wrong count
        const fields = Array.from({ length: rnd(20) === 0 ? 2 + rnd(3) : 3 }, () =>
          Array.from({ length: rnd(rnd(4) === 0 ? 40 : 8) }, () => plain[rnd(plain.length)]).join(''),
        );
        let line = fields.join(delimiter);
        if (rnd(50) === 0) {
          const at = rnd(line.length + 1);
          line = line.slice(0, at) + ['"', '\\', '\0', '\r'][rnd(4)] + line.slice(at);
        }
        text += line + '\n';
      }
      const result = scanEverywhere(text, { delimiter: delimiter.charCodeAt(0) });
      expect(result.counts.loaded).toBeGreaterThan(10_000);
      expectConserved(result, text);
    }
  });
});
