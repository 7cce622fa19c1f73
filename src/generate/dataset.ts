/**
 * Writes users.csv, games.csv, events.csv and the manifest into a folder. Each
 * file is streamed in ~64 KB chunks through a pipeline (backpressure: a chunk is
 * drawn only when the disk has taken the previous ones), to a temporary name
 * renamed at the end, so a reader never sees a half-written file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TspipeError, UsageError } from '../errors.js';
import { chunkLines } from './csv.js';
import { DirtInjector } from './dirt.js';
import { eventLines } from './events-file.js';
import { gameLines, planGames } from './games-file.js';
import { buildManifest, type DatasetFile, type FileReport, type GenerateManifest, MANIFEST_FILE } from './manifest.js';
import type { GenerateOptions } from './options.js';
import { drawPools } from './pools.js';
import { hashSeed, Rng } from './prng.js';
import { buildTimeline } from './timeline.js';
import { planUsers } from './user-plan.js';
import { userLines } from './users-file.js';

export interface DatasetProgress {
  file: DatasetFile;
  /** Data lines written so far (header excluded). */
  rows: number;
  /** Rows asked for (dirt rows come on top, so `rows` may pass it). */
  plannedRows: number;
}

export interface Dataset {
  files: Record<DatasetFile, FileReport>;
  manifest: GenerateManifest;
  manifestPath: string;
}

export async function writeDataset(options: GenerateOptions, onProgress?: (p: DatasetProgress) => void): Promise<Dataset> {
  const { seed, rates } = options;
  // One PRNG stream per purpose: changing dirt rates never changes the base data.
  const stream = (name: string): Rng => new Rng(hashSeed(seed, name));
  const dirt = (name: string): DirtInjector => new DirtInjector(rates, stream(`${name}-dirt`));
  const pools = drawPools(seed);
  const timeline = buildTimeline(seed);
  const games = planGames(options.games, pools, stream('games'));
  const users = planUsers(options.users, options.events, games, timeline, stream('users'));
  await mkdir(options.outDir, { recursive: true }).catch((error: Error) => {
    throw new UsageError(`cannot create the output folder ${options.outDir}: ${error.message}`, {
      hint: '--out must name a folder you can write to',
      cause: error,
    });
  });

  const write = async (file: DatasetFile, planned: number, lines: Iterable<string>, d: DirtInjector): Promise<FileReport> => {
    const path = join(options.outDir, `${file}.csv`);
    let rows = 0;
    const chunks = chunkLines(lines, (count) => {
      rows = count - 1;
      onProgress?.({ file, rows, plannedRows: planned });
    });
    const temp = `${path}.tmp`;
    try {
      await pipeline(Readable.from(chunks), createWriteStream(temp));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw new TspipeError(`could not write ${path}: ${(error as Error).message}`, { file: path, cause: error });
    }
    const { size } = await stat(path);
    return { file: `${file}.csv`, rows, baseRows: planned, bytes: size, dirt: d.counts, forms: sortedKeys(d.forms) };
  };

  const usersDirt = dirt('users');
  const gamesDirt = dirt('games');
  const eventsDirt = dirt('events');
  const files: Record<DatasetFile, FileReport> = {
    users: await write('users', options.users, userLines(users, pools, stream('emails'), usersDirt), usersDirt),
    games: await write('games', options.games, gameLines(games, gamesDirt), gamesDirt),
    events: await write('events', options.events, eventLines(users, games, timeline, stream('events'), eventsDirt), eventsDirt),
  };
  const manifest = buildManifest(options, timeline, files);
  const manifestPath = join(options.outDir, MANIFEST_FILE);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  return { files, manifest, manifestPath };
}

function sortedKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
