/** `--dirt 0`: every value in its clean domain, and the shape the KPIs need. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../../../src/api/generate.js';
import * as D from '../../../src/generate/domains.js';

const SIZES = { users: 2000, games: 30, events: 30_000, seed: 'shape' };
const DAY = 86_400_000;
let dir: string;
let result: GenerateResult;
let users: string[][];
let games: string[][];
let events: string[][];

const read = async (file: string): Promise<string[][]> => (parse(await readFile(join(dir, file), 'utf8')) as string[][]).slice(1);
const ms = (iso: string): number => Date.parse(`${iso}Z`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tspipe-gen-clean-'));
  result = await generate({ out: dir, ...SIZES, dirt: 0 });
  [users, games, events] = await Promise.all(['users.csv', 'games.csv', 'events.csv'].map(read));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('generate --dirt 0', () => {
  it('writes exactly the planned rows, no dirt at all', () => {
    expect([users.length, games.length, events.length]).toEqual([SIZES.users, SIZES.games, SIZES.events]);
    for (const f of result.files) expect(Object.values(f.dirt).every((n) => n === 0)).toBe(true);
    expect(result.manifest.expected.events.clean).toBe(SIZES.events);
  });

  it('keeps every value in its clean domain', () => {
    const inDomain = (rows: string[][], col: number, domain: readonly string[]): void =>
      expect(rows.filter((r) => !domain.includes(r[col]!)).map((r) => r[col])).toEqual([]);
    inDomain(users, 1, D.AGE_RANGES);
    inDomain(users, 4, D.WORKOUT_FREQUENCIES);
    inDomain(users, 5, D.GENDERS);
    inDomain(users, 6, D.LOCATIONS);
    inDomain(users, 7, D.SUBSCRIPTION_TYPES);
    inDomain(games, 2, D.GAME_TYPES);
    inDomain(games, 3, D.PLATFORMS);
    inDomain(games, 4, D.DIFFICULTIES);
    inDomain(events, 4, D.EVENT_TYPES);
    inDomain(events, 5, D.DURATIONS);
    inDomain(events, 6, D.DEVICE_TYPES);
    expect(users.every((r) => /^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/.test(r[3]!))).toBe(true);
    expect(games.every((r) => r[1]!.length > 3)).toBe(true);
    expect(games.map((r) => Number(r[0]))).toEqual(Array.from({ length: SIZES.games }, (_v, i) => 100 + i));
  });

  it('event ids run 1..n in file order and foreign keys all exist', () => {
    expect(events.every((r, i) => r[0] === String(i + 1))).toBe(true);
    const userIds = new Set(users.map((r) => r[0]));
    const gameIds = new Set(games.map((r) => r[0]));
    expect(events.filter((r) => !userIds.has(r[2]) || !gameIds.has(r[1]))).toEqual([]);
  });

  it('spans 24 months up to a seed-fixed reference date, registrations before first events', () => {
    const { span, referenceTime } = result.manifest;
    const times = events.map((r) => ms(r[3]!));
    const [first, last] = [Math.min(...times), Math.max(...times)];
    expect(first).toBeGreaterThanOrEqual(ms(`${span.start}T00:00:00`));
    expect(last).toBeLessThanOrEqual(ms(referenceTime));
    expect(last - first).toBeGreaterThan(24 * 30 * DAY);
    expect(new Date(first).toISOString().slice(0, 7)).toBe(span.start.slice(0, 7));
    const firstEvent = new Map<string, number>();
    for (const r of events) firstEvent.set(r[2]!, Math.min(firstEvent.get(r[2]!) ?? Infinity, ms(r[3]!)));
    expect(users.filter((u) => firstEvent.has(u[0]!) && ms(`${u[2]}T00:00:00`) + DAY > firstEvent.get(u[0]!)!)).toEqual([]);
  });

  it('is seasonal (January over July) with one spike month', () => {
    const perMonth = new Map<string, number>();
    for (const r of events) perMonth.set(r[3]!.slice(0, 7), (perMonth.get(r[3]!.slice(0, 7)) ?? 0) + 1);
    const full = [...perMonth.keys()].sort().slice(0, -1);
    const avg = (mm: string): number => {
      const months = full.filter((m) => m.endsWith(`-${mm}`));
      return months.reduce((s, m) => s + perMonth.get(m)!, 0) / months.length;
    };
    expect(avg('01')).toBeGreaterThan(1.4 * avg('07'));
    const spike = result.manifest.spikeMonth;
    const i = full.indexOf(spike);
    expect(i).toBeGreaterThan(0);
    const neighbours = (perMonth.get(full[i - 1]!)! + perMonth.get(full[i + 1]!)!) / 2;
    expect(perMonth.get(spike)!).toBeGreaterThan(1.6 * neighbours);
  });

  it('has heavy-tailed, inactive and churned users', () => {
    const perUser = new Map<string, { n: number; last: number }>();
    for (const r of events) {
      const u = perUser.get(r[2]!) ?? { n: 0, last: 0 };
      perUser.set(r[2]!, { n: u.n + 1, last: Math.max(u.last, ms(r[3]!)) });
    }
    const counts = [...perUser.values()].map((u) => u.n).sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / SIZES.events).toBeGreaterThan(0.4);
    expect(users.length - perUser.size).toBeGreaterThan(0.05 * users.length);
    const end = ms(result.manifest.referenceTime);
    const churned = [...perUser.values()].filter((u) => u.last < end - 183 * DAY).length;
    expect(churned).toBeGreaterThan(0.1 * perUser.size);
  });

  it('clusters each user-game pair into sessions: minutes apart inside, hours or days between', () => {
    const byPair = new Map<string, number[]>();
    for (const r of events) {
      const key = `${r[2]}/${r[1]}`;
      const times = byPair.get(key) ?? [];
      times.push(ms(r[3]!));
      byPair.set(key, times);
    }
    const gaps = [...byPair.values()].flatMap((ts) =>
      ts
        .sort((a, b) => a - b)
        .slice(1)
        .map((t, i) => t - ts[i]!),
    );
    const share = (test: (g: number) => boolean): number => gaps.filter(test).length / gaps.length;
    expect(share((g) => g <= 30 * 60_000)).toBeGreaterThan(0.5);
    expect(share((g) => g > 2 * 3_600_000)).toBeGreaterThan(0.15);
  });
});
