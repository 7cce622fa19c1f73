/**
 * The `generate` use case: options in, files and a result out, no printing.
 * Progress goes to the reporter the caller passes (terminal, tests, nothing).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { type DayFile, writeDayEvents } from '../generate/day-file.js';
import { type DatasetProgress, writeDataset } from '../generate/dataset.js';
import { type DirtRates, resolveDirtRates } from '../generate/dirt.js';
import { DATASET_FILES, type FileReport, type GenerateManifest } from '../generate/manifest.js';
import { checkOptions, DEMO_SAMPLE, type GenerateOptions } from '../generate/options.js';

export { DEMO_SAMPLE } from '../generate/options.js';
export { DEFAULT_DIRT_RATES, DIRT_KINDS, type DirtKind, type DirtRates } from '../generate/dirt.js';
export type { DatasetProgress } from '../generate/dataset.js';

export interface GenerateRequest {
  out: string;
  /** Sizes and seed default to the demo sample. */
  users?: number;
  games?: number;
  events?: number;
  seed?: string | number;
  /** The committed demo sample: its sizes and seed, which the options above may not change. */
  demo?: boolean;
  /** Sets every dirt rate at once (0: clean data); `rates` then override kind by kind. */
  dirt?: number;
  rates?: Partial<DirtRates>;
}

export interface GenerateReporter {
  progress?(progress: DatasetProgress): void;
}

export interface GenerateDeps {
  reporter?: GenerateReporter;
  /** Milliseconds clock, for the timing in the result. */
  now?: () => number;
}

export interface GenerateResult {
  options: GenerateOptions;
  /** users.csv, games.csv, events.csv, in the order written. */
  files: FileReport[];
  manifest: GenerateManifest;
  manifestPath: string;
  rows: number;
  bytes: number;
  elapsedMs: number;
}

export async function generate(request: GenerateRequest, deps: GenerateDeps = {}): Promise<GenerateResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const options = resolveOptions(request);
  checkOptions(options);
  const dataset = await writeDataset(options, (p) => deps.reporter?.progress?.(p));
  const files = DATASET_FILES.map((f) => dataset.files[f]);
  return {
    options,
    files,
    manifest: dataset.manifest,
    manifestPath: dataset.manifestPath,
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    elapsedMs: now() - started,
  };
}

function resolveOptions(request: GenerateRequest): GenerateOptions {
  if (request.demo) {
    const fixed = (['users', 'games', 'events', 'seed'] as const).filter((k) => request[k] !== undefined);
    if (fixed.length) {
      throw new UsageError(`--demo fixes the sizes and the seed; it cannot be combined with ${fixed.map((k) => `--${k}`).join(', ')}`, {
        hint: 'drop --demo to choose your own sizes',
      });
    }
  }
  return {
    users: request.users ?? DEMO_SAMPLE.users,
    games: request.games ?? DEMO_SAMPLE.games,
    events: request.events ?? DEMO_SAMPLE.events,
    seed: String(request.seed ?? DEMO_SAMPLE.seed),
    outDir: request.out,
    rates: resolveDirtRates(request.dirt, request.rates),
  };
}

export interface GenerateDayRequest {
  out: string;
  /** YYYY-MM-DD */
  day: string;
  /** Events that day; default: the average day of the dataset in `out` (its manifest). */
  events?: number;
  seed?: string | number;
}

export interface GenerateDayResult extends DayFile {
  day: string;
  seed: string;
  elapsedMs: number;
}

/** `generate --day`: one day's events file in `<out>/inbox/events/`, for the users and games in `out`. */
export async function generateDay(request: GenerateDayRequest, deps: GenerateDeps = {}): Promise<GenerateDayResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const dataset = await readManifest(request.out);
  const seed = String(request.seed ?? dataset?.seed ?? DEMO_SAMPLE.seed);
  const events = request.events ?? averageDay(dataset) ?? 100;
  const file = await writeDayEvents({ day: request.day, events, seed, outDir: request.out });
  return { ...file, day: request.day, seed, elapsedMs: now() - started };
}

async function readManifest(out: string): Promise<GenerateManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(out, 'generate-manifest.json'), 'utf8')) as GenerateManifest;
  } catch {
    return undefined; // users and games made elsewhere: the defaults apply
  }
}

/** The dataset's events per day over its span, rounded. */
function averageDay(manifest: GenerateManifest | undefined): number | undefined {
  if (!manifest?.span) return undefined;
  const days = (Date.parse(manifest.span.end) - Date.parse(manifest.span.start)) / 86_400_000 + 1;
  return days > 0 ? Math.max(1, Math.round(manifest.sizes.events / days)) : undefined;
}
