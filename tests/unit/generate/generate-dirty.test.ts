/** The default-dirt dataset: determinism, CSV validity, and every injected kind counted right. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../../src/api/generate.js';
import { DEFAULT_DIRT_RATES } from '../../../src/generate/dirt.js';
import { EVENT_COLUMNS, GAME_COLUMNS, TYPOS, USER_COLUMNS } from '../../../src/generate/domains.js';

const SIZES = { users: 1000, games: 40, events: 12_000, seed: 'dirty' };
const ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
let dir: string;
let result: GenerateResult;
const text: Record<string, string> = {};
const parsed: Record<string, { records: string[][]; skipped: number }> = {};

function parseStrict(csv: string): { records: string[][]; skipped: number } {
  let skipped = 0;
  const records = parse(csv, { skip_records_with_error: true, on_skip: () => void skipped++ }) as string[][];
  return { records, skipped };
}

/** Rows whose integer id is seen for the first time: the planned rows, before dirt rows. */
function firstSeen(records: string[][]): string[][] {
  const seen = new Set<string>();
  return records.slice(1).filter((r) => /^\d+$/.test(r[0]!) && !seen.has(r[0]!) && seen.add(r[0]!));
}

/** Within 5 standard deviations of a binomial count (plus slack for tiny counts). */
function expectNear(observed: number, n: number, p: number): void {
  expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(5 * Math.sqrt(n * p * (1 - p)) + 3);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tspipe-gen-'));
  result = await generate({ out: join(dir, 'a'), ...SIZES });
  for (const f of ['users', 'games', 'events', 'generate-manifest']) {
    text[f] = await readFile(join(dir, 'a', f === 'generate-manifest' ? `${f}.json` : `${f}.csv`), 'utf8');
  }
  for (const f of ['users', 'games', 'events']) parsed[f] = parseStrict(text[f]!);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('generate with default dirt', () => {
  it('gives byte-identical files for the same arguments, and others for another seed', async () => {
    await generate({ out: join(dir, 'b'), ...SIZES });
    for (const f of ['users.csv', 'games.csv', 'events.csv', 'generate-manifest.json']) {
      expect(await readFile(join(dir, 'b', f), 'utf8')).toBe(f.startsWith('generate') ? text['generate-manifest'] : text[f.slice(0, -4)]);
    }
    await generate({ out: join(dir, 'c'), ...SIZES, seed: 'other' });
    expect(await readFile(join(dir, 'c', 'events.csv'), 'utf8')).not.toBe(text.events);
  });

  it('writes the spec columns, \\n line ends, and lines that parse except the malformed ones', () => {
    const headers = { users: USER_COLUMNS, games: GAME_COLUMNS, events: EVENT_COLUMNS };
    for (const [i, [file, columns]] of Object.entries(headers).entries()) {
      const csv = text[file]!;
      expect(csv.split('\n')[0]).toBe(columns.join(','));
      expect(csv).not.toContain('\r');
      const { records, skipped } = parsed[file]!;
      const report = result.files[i]!;
      expect(skipped).toBe(report.dirt.malformed);
      expect(records.length - 1 + skipped).toBe(report.rows);
      expect(records.every((r) => r.length === columns.length)).toBe(true);
      expect(report.bytes).toBe(Buffer.byteLength(csv));
    }
    expect(result.files[2]!.forms.malformed_unterminated_quote).toBe(1);
    // The unclosed quote is the very last line, so it swallows nothing after it.
    const lastLine = text.events!.trimEnd().split('\n').pop()!;
    expect(lastLine.split('"')).toHaveLength(2);
    expect(lastLine.endsWith('"mobile') || lastLine.endsWith('"web') || lastLine.endsWith('"console')).toBe(true);
  });

  it('counts in the manifest match what is in the events file, and rates hold', () => {
    const { records } = parsed.events!;
    const base = firstSeen(records);
    const report = result.manifest.files.events;
    expect(base).toHaveLength(SIZES.events);
    // Originals come first and in id order, so every repeat of an id is after its original.
    expect(base.every((r, i) => i === 0 || Number(r[0]) > Number(base[i - 1]![0]))).toBe(true);
    const count = (test: (r: string[]) => boolean): number => base.filter(test).length;
    const unknownUser = count((r) => r[2] === '9999');
    const unknownGame = count((r) => r[1] === '9999');
    const badTime = count((r) => !ISO.test(r[3]!));
    expect([unknownUser, unknownGame, badTime]).toEqual([report.dirt.unknownUser, report.dirt.unknownGame, report.dirt.badTimestamp]);
    expect(new Set(base.filter((r) => !ISO.test(r[3]!)).map((r) => r[3]))).toEqual(new Set(['2024-13-45T99:00:00', 'yesterday', '']));
    expect(count((r) => r[5] === '-10')).toBe(report.dirt.negativeDuration);
    expect(count((r) => r[6] === 'tablet')).toBe(report.dirt.unknownDevice);
    expect(count((r) => r[4] === '') + count((r) => r[5] === '')).toBe(report.dirt.empty);
    expect(count((r) => r[4] !== '' && r[4] !== r[4]!.toLowerCase()) + count((r) => r[6] !== r[6]!.toLowerCase())).toBe(report.dirt.case);
    expect(count((r) => r[6] !== r[6]!.trim())).toBe(report.dirt.whitespace);
    const rates = DEFAULT_DIRT_RATES;
    expectNear(unknownUser, SIZES.events, rates.unknownUser);
    expectNear(report.dirt.unknownDevice, SIZES.events, rates.unknownDevice);
    expectNear(
      count((r) => r[5] === ''),
      SIZES.events,
      rates.empty,
    );
    expectNear(report.dirt.duplicate, SIZES.events, rates.duplicate);
    expectNear(report.dirt.badKey, SIZES.events, rates.badKey);
    expect(
      records
        .slice(1)
        .filter((r) => !/^\d+$/.test(r[0]!))
        .every((r) => r[0] === 'abc' || /^\d+a$/.test(r[0]!)),
    ).toBe(true);
  });

  it('duplicates are exact and conflicting copies placed after their original', () => {
    const { records } = parsed.events!;
    const byId = new Map<string, string[][]>();
    for (const r of records.slice(1)) {
      const rows = byId.get(r[0]!) ?? [];
      rows.push(r);
      byId.set(r[0]!, rows);
    }
    const repeated = [...byId.values()].filter((rows) => rows.length > 1);
    const forms = result.manifest.files.events.forms;
    expect(repeated.length).toBeGreaterThan(0);
    const same = (a: string[], b: string[]): boolean => a.join(',') === b.join(',');
    expect(repeated.filter((rows) => rows.slice(1).some((r) => same(r, rows[0]!))).length).toBeGreaterThan(0);
    expect(repeated.filter((rows) => rows.slice(1).some((r) => !same(r, rows[0]!))).length).toBeGreaterThan(0);
    expect((forms.duplicate_exact ?? 0) + (forms.duplicate_conflicting ?? 0)).toBe(result.manifest.files.events.dirt.duplicate);
  });

  it('users and games carry their dirt: duplicate ids, 12a keys, typos, empties, case', () => {
    const users = parsed.users!.records;
    const base = firstSeen(users);
    expect(base).toHaveLength(SIZES.users);
    const u = result.manifest.files.users;
    expect(users.length - 1 - base.length).toBe(u.dirt.duplicate + u.dirt.badKey);
    expect(users.filter((r) => /^\d+a$/.test(r[0]!))).toHaveLength(u.dirt.badKey);
    expectNear(base.filter((r) => r[1] === '').length, SIZES.users, DEFAULT_DIRT_RATES.empty);
    const games = parsed.games!.records;
    const typos = new Set<string>([...Object.values(TYPOS.game_type), ...Object.values(TYPOS.platform)]);
    const g = result.manifest.files.games;
    expect(firstSeen(games).filter((r) => typos.has(r[2]!) || typos.has(r[3]!))).toHaveLength(g.dirt.typo);
    expect(
      games
        .slice(1)
        .map((r) => r[0])
        .filter((id) => /^\d+$/.test(id!))
        .map(Number)
        .sort((a, b) => a - b)[0],
    ).toBe(100);
  });

  it('expected conservation numbers add up', () => {
    for (const e of Object.values(result.manifest.expected)) {
      const quarantined = Object.values(e.quarantined).reduce((a, b) => a + b, 0);
      expect(e.loaded).toBe(e.clean + quarantined);
    }
    const valid = firstSeen(parsed.events!.records).filter((r) => r[1] !== '9999' && r[2] !== '9999' && ISO.test(r[3]!));
    expect(valid).toHaveLength(result.manifest.expected.events.clean);
  });
});
