/**
 * `tspipe generate --day 2025-12-30 --out seeds`: one day's events as the platform
 * would deliver them, `seeds/inbox/events/2025-12-30.csv`, for the users and games
 * already in `seeds/users.csv` and `seeds/games.csv` (users registered by that day).
 * Sessions as in events.csv, at the hours of the day the timeline favours; event ids
 * are `YYYYMMDD` followed by a six-digit counter, so no day repeats another's ids or
 * the history's. The same day and seed give the same file. No dirt: the day files
 * test arrival, not cleaning.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TspipeError, UsageError } from '../errors.js';
import { chunkLines, csvLine, plainLine } from './csv.js';
import { DEVICE_TYPES, DURATIONS, EVENT_COLUMNS } from './domains.js';
import { MAX_STEP_S, sessionEventType } from './events-file.js';
import { hashSeed, Rng } from './prng.js';
import { buildTimeline, DAY_MS, isoTimestamp } from './timeline.js';

export interface DayOptions {
  /** YYYY-MM-DD */
  day: string;
  events: number;
  seed: string;
  /** The folder holding users.csv and games.csv; the file goes to its inbox/events/. */
  outDir: string;
}

export interface DayFile {
  path: string;
  rows: number;
  bytes: number;
  users: number;
  games: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_EVENTS_PER_DAY = 999_999;

export async function writeDayEvents(options: DayOptions): Promise<DayFile> {
  const start = dayStart(options.day);
  if (!Number.isSafeInteger(options.events) || options.events < 0 || options.events > MAX_EVENTS_PER_DAY) {
    throw new UsageError(`--events must be a whole number from 0 to ${MAX_EVENTS_PER_DAY} with --day, got ${options.events}`);
  }
  const users = await validIds(join(options.outDir, 'users.csv'), (fields) => (fields[2] ?? '') <= options.day && DAY.test(fields[2] ?? ''));
  const games = await validIds(join(options.outDir, 'games.csv'), () => true);
  if (options.events > 0 && (!users.length || !games.length)) {
    throw new UsageError(`no ${users.length ? 'game' : 'user registered by ' + options.day} in ${options.outDir} to make events for`, {
      hint: 'generate the users and games first: tspipe generate --out ' + options.outDir,
    });
  }
  const folder = join(options.outDir, 'inbox', 'events');
  const path = join(folder, `${options.day}.csv`);
  const temp = `${path}.tmp`;
  let rows = 0;
  try {
    await mkdir(folder, { recursive: true });
    const lines = dayLines(options, start, users, games);
    await pipeline(Readable.from(chunkLines(lines, (count) => (rows = count - 1))), createWriteStream(temp));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new TspipeError(`could not write ${path}: ${(error as Error).message}`, { file: path, cause: error });
  }
  return { path, rows, bytes: (await stat(path)).size, users: users.length, games: games.length };
}

function* dayLines(options: DayOptions, start: number, users: string[], games: string[]): Generator<string> {
  const rng = new Rng(hashSeed(options.seed, `day ${options.day}`));
  const hours = buildTimeline(options.seed).hours;
  const idBase = Number(options.day.replaceAll('-', '')) * 1_000_000;
  yield csvLine(EVENT_COLUMNS);
  let written = 0;
  while (written < options.events) {
    const length = Math.min(options.events - written, 1 + rng.geometric(0.3));
    const user = rng.pick(users);
    const game = rng.pick(games);
    const device = rng.pick(DEVICE_TYPES);
    // Start early enough that the whole session stays within the day.
    let time = Math.min(start + hours.pick(rng) * 3_600_000 + rng.int(3600) * 1000, start + DAY_MS - 1000 - length * MAX_STEP_S * 1000);
    time = Math.max(start, time);
    let playing = false;
    for (let k = 0; k < length; k++) {
      const type = sessionEventType(k, playing, rng);
      if (type === 'start_game') playing = true;
      else if (type === 'finish_game') playing = false;
      yield plainLine([String(idBase + ++written), game, user, isoTimestamp(time), type, rng.pick(DURATIONS), device]);
      time += rng.between(45, MAX_STEP_S) * 1000;
    }
  }
}

function dayStart(day: string): number {
  const match = DAY.exec(day);
  const start = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day) {
    throw new UsageError(`--day must be a date YYYY-MM-DD, got "${day}"`, { hint: 'for example --day 2025-12-30' });
  }
  return start;
}

/**
 * The distinct integer ids (first column) of a generated file whose fields pass
 * `keep`: lines the loader or the cleaning would reject (quotes, bad ids) are left out.
 */
async function validIds(file: string, keep: (fields: string[]) => boolean): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--day needs ${file}: ${(error as Error).message}`, { hint: 'generate the users and games first, into the same --out folder' });
  }
  const ids = new Set<string>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (line.includes('"')) continue;
    const fields = line.split(',');
    if (/^\d{1,9}$/.test(fields[0]!) && keep(fields)) ids.add(fields[0]!);
  }
  return [...ids];
}
