import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDay } from '../../../src/api/generate.js';
import { UsageError } from '../../../src/errors.js';

const SEEDS = path.resolve('seeds');

describe('generate --day', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'tspipe-day-'));
    for (const file of ['users.csv', 'games.csv', 'generate-manifest.json']) await cp(path.join(SEEDS, file), path.join(out, file));
  });
  afterEach(() => rm(out, { recursive: true, force: true }));

  it("writes one day's events for registered users and existing games, the same each time", async () => {
    const result = await generateDay({ out, day: '2024-03-15', events: 500 });
    expect(result.path).toBe(path.join(out, 'inbox', 'events', '2024-03-15.csv'));
    expect(result.rows).toBe(500);
    const text = await readFile(result.path, 'utf8');
    const [header, ...lines] = text.trimEnd().split('\n');
    expect(header).toBe('event_id,game_id,user_id,event_time,event_type,duration_seconds,device_type');
    const users = new Map(
      (await readFile(path.join(out, 'users.csv'), 'utf8'))
        .split('\n')
        .slice(1)
        .map((l) => [l.split(',')[0], l.split(',')[2]]),
    );
    const games = new Set(
      (await readFile(path.join(out, 'games.csv'), 'utf8'))
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    const ids = new Set<string>();
    for (const line of lines) {
      const [id, game, user, time, type] = line.split(',');
      ids.add(id!);
      expect(id).toMatch(/^20240315\d{6}$/);
      expect(games.has(game)).toBe(true);
      expect(users.get(user)! <= '2024-03-15').toBe(true);
      expect(time!.slice(0, 10)).toBe('2024-03-15');
      expect(['login', 'start_game', 'finish_game', 'purchase']).toContain(type);
    }
    expect(ids.size).toBe(500);
    await generateDay({ out, day: '2024-03-15', events: 500 });
    expect(await readFile(result.path, 'utf8')).toBe(text);
    expect((await generateDay({ out, day: '2024-03-16', events: 500 })).path).not.toBe(result.path);
  });

  it("defaults to the dataset's average day and rejects dates that do not exist", async () => {
    const manifest = JSON.parse(await readFile(path.join(out, 'generate-manifest.json'), 'utf8'));
    const days = (Date.parse(manifest.span.end) - Date.parse(manifest.span.start)) / 86_400_000 + 1;
    expect((await generateDay({ out, day: '2024-11-11' })).rows).toBe(Math.round(manifest.sizes.events / days));
    await expect(generateDay({ out, day: '2024-02-30' })).rejects.toThrow(UsageError);
    await expect(generateDay({ out: path.join(out, 'missing'), day: '2024-01-01' })).rejects.toThrow(/generate the users and games first|users\.csv/);
  });
});
