/** The use case: option checks, the reporter, the demo sizes, and heavy dirt (0.5) staying consistent. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SAMPLE, type DatasetProgress, generate } from '../../../src/api/generate.js';
import { UsageError } from '../../../src/errors.js';

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'tspipe-gen-api-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('generate (api)', () => {
  it.each([
    [{ users: -1 }, /--users must be a whole number/],
    [{ events: 1.5 }, /--events must be a whole number/],
    [{ users: 0, events: 10 }, /needs at least one user and one game/],
    [{ dirt: 1.5 }, /between 0 and 1/],
    [{ rates: { malformed: -0.1 } }, /"malformed" must be between 0 and 1/],
    [{ demo: true, events: 10 }, /--demo fixes the sizes/],
  ])('rejects %o with a UsageError', async (request, message) => {
    const error = await generate({ out: join(dir, 'bad'), ...request }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).exitCode).toBe(2);
  });

  it('demo sample: a few thousand users, ~50 games, ~100,000 events (kept under 5 MB to commit)', () => {
    expect(DEMO_SAMPLE.users).toBeGreaterThanOrEqual(2000);
    expect(DEMO_SAMPLE.users).toBeLessThanOrEqual(5000);
    expect(DEMO_SAMPLE.games).toBe(50);
    expect(DEMO_SAMPLE.events).toBeGreaterThanOrEqual(80_000);
    expect(DEMO_SAMPLE.events).toBeLessThanOrEqual(100_000);
  });

  it('reports progress and keeps every line accounted for at --dirt 0.5', async () => {
    const seen: DatasetProgress[] = [];
    const out = join(dir, 'heavy');
    const result = await generate({ out, users: 300, games: 12, events: 3000, seed: 5, dirt: 0.5 }, { reporter: { progress: (p) => seen.push(p) } });
    expect(new Set(seen.map((p) => p.file))).toEqual(new Set(['users', 'games', 'events']));
    expect(seen.at(-1)).toMatchObject({ file: 'events', rows: result.files[2]!.rows });
    for (const f of result.files) {
      let skipped = 0;
      const records = parse(await readFile(join(out, f.file), 'utf8'), { skip_records_with_error: true, on_skip: () => void skipped++ });
      expect([records.length - 1, skipped]).toEqual([f.rows - f.dirt.malformed, f.dirt.malformed]);
      expect(f.dirt.duplicate).toBeGreaterThan(0.3 * f.baseRows);
    }
    const manifest = JSON.parse(await readFile(result.manifestPath, 'utf8'));
    expect(manifest).toEqual(JSON.parse(JSON.stringify(result.manifest)));
    for (const e of Object.values(result.manifest.expected)) {
      expect(e.loaded).toBe(e.clean + Object.values(e.quarantined).reduce((a, b) => a + b, 0));
    }
    // Invalidating kinds are exclusive per row: 0.5, then 0.5 of the rest, then 0.5 of the rest.
    expect(result.manifest.expected.events.clean / 3000).toBeCloseTo(0.125, 1);
    expect(result.elapsedMs).toBeGreaterThan(0);
  });
});
