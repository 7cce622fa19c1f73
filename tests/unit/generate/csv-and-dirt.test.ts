import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { chunkLines, csvField, csvLine } from '../../../src/generate/csv.js';
import { caseVariant, DEFAULT_DIRT_RATES, DIRT_KINDS, resolveDirtRates } from '../../../src/generate/dirt.js';
import { idAt, INVALID_ID } from '../../../src/generate/domains.js';
import { MALFORMED_FORMS, malformedLine } from '../../../src/generate/malformed.js';
import { hashSeed, Rng } from '../../../src/generate/prng.js';

/** Parses strictly, as the loader does, and reports what was skipped. */
function parseStrict(text: string): { records: string[][]; skipped: string[] } {
  const skipped: string[] = [];
  const records = parse(text, { skip_records_with_error: true, on_skip: (e) => void skipped.push(e?.code ?? '?') }) as string[][];
  return { records, skipped };
}

describe('csv writing', () => {
  it('quotes only what RFC 4180 requires and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('The "Iron" Run')).toBe('"The ""Iron"" Run"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const line = csvLine(['1', 'a,b', 'say "hi"', '']);
    expect(line).toBe('1,"a,b","say ""hi""",\n');
    expect(parse(line)).toEqual([['1', 'a,b', 'say "hi"', '']]);
  });

  it('batches lines into bounded chunks without losing any', () => {
    const lines = Array.from({ length: 20_000 }, (_v, i) => `${i},value\n`);
    const chunks = [...chunkLines(lines)];
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70 * 1024);
    expect(chunks.join('')).toBe(lines.join(''));
  });
});

describe('malformed lines', () => {
  const fields = ['7', '101', '3', '2024-06-15T14:23:01', 'login', '30', 'mobile'];
  const good = csvLine(['8', '101', '3', '2024-06-15T14:25:00', 'start_game', '60', 'web']);

  it.each(MALFORMED_FORMS)('%s costs exactly one record, mid-file', (form) => {
    const bad = malformedLine(fields, 6, form, new Rng(1));
    const { records, skipped } = parseStrict(good + bad + good + good);
    expect(skipped).toHaveLength(1);
    expect(records).toHaveLength(3);
  });

  it('an unterminated quote is only safe as the last line, and costs one record there', () => {
    const bad = malformedLine(fields, 6, 'unterminated_quote', new Rng(1));
    expect(bad).toBe('7,101,3,2024-06-15T14:23:01,login,30,"mobile\n');
    const { records, skipped } = parseStrict(good + good + bad);
    expect([records.length, skipped]).toEqual([2, ['CSV_QUOTE_NOT_CLOSED']]);
  });
});

describe('dirt rates and forms', () => {
  it('--dirt sets every rate, per-kind options override, defaults otherwise', () => {
    expect(resolveDirtRates()).toEqual(DEFAULT_DIRT_RATES);
    const rates = resolveDirtRates(0.5, { malformed: 0.01 });
    for (const kind of DIRT_KINDS) expect(rates[kind]).toBe(kind === 'malformed' ? 0.01 : 0.5);
    expect(Object.values(resolveDirtRates(0)).every((r) => r === 0)).toBe(true);
  });

  it('letter-case variants differ from the value and lower-case back to it', () => {
    const rng = new Rng(3);
    for (const value of ['mobile', 'start_game', 'medium', 'iOS', 'premium']) {
      for (let i = 0; i < 20; i++) {
        const v = caseVariant(value, rng);
        expect(v).not.toBe(value);
        expect(v.toLowerCase()).toBe(value.toLowerCase());
      }
    }
    const seen = new Set(Array.from({ length: 50 }, () => caseVariant('start_game', rng)));
    expect(seen).toEqual(new Set(['START_GAME', 'Start_Game']));
  });

  it('ids skip 9999 so that the invalid foreign key never exists', () => {
    expect(idAt(1, INVALID_ID - 2)).toBe(INVALID_ID - 1);
    expect(idAt(1, INVALID_ID - 1)).toBe(INVALID_ID + 1);
    expect(idAt(100, 0)).toBe(100);
  });
});

describe('prng', () => {
  it('is deterministic per seed and stream, and uniform enough', () => {
    const a = new Rng(hashSeed(42, 'x'));
    const b = new Rng(hashSeed(42, 'x'));
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(hashSeed(42, 'x')).not.toBe(hashSeed(42, 'y'));
    expect(hashSeed(42)).toBe(hashSeed('42'));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
