/**
 * generate-manifest.json: what was injected, file by file, and the conservation
 * numbers the pipeline must reproduce (assuming a strict CSV parser for rejects).
 * No timings here, so the manifest is byte-identical across runs too.
 */
import type { DirtCounts, DirtRates } from './dirt.js';
import type { GenerateOptions } from './options.js';
import { isoDate, isoTimestamp, type Timeline } from './timeline.js';

export const MANIFEST_FILE = 'generate-manifest.json';
export const DATASET_FILES = ['users', 'games', 'events'] as const;
export type DatasetFile = (typeof DATASET_FILES)[number];

export interface FileReport {
  file: string;
  /** Data lines (header excluded), dirt rows included. */
  rows: number;
  /** Rows the generator planned (ids 1..n or 100..), before dirt rows were added. */
  baseRows: number;
  bytes: number;
  dirt: DirtCounts;
  /** Sub-forms: duplicate_exact, duplicate_conflicting, malformed_stray_quote, ... */
  forms: Record<string, number>;
}

export interface Expected {
  /** Lines a strict parser rejects (the malformed ones). */
  rejected: number;
  /** Rows landed in the raw table. */
  loaded: number;
  clean: number;
  /** Quarantined rows by reason code; loaded = clean + sum(quarantined). */
  quarantined: Record<string, number>;
}

export interface GenerateManifest {
  generator: 'tspipe generate';
  seed: string;
  sizes: { users: number; games: number; events: number };
  rates: DirtRates;
  /** Last second of the data (the seed fixes it, not the clock). */
  referenceTime: string;
  span: { start: string; end: string };
  spikeMonth: string;
  files: Record<DatasetFile, FileReport>;
  expected: Record<DatasetFile, Expected>;
}

export function buildManifest(options: GenerateOptions, tl: Timeline, files: Record<DatasetFile, FileReport>): GenerateManifest {
  const keyed = (f: FileReport): Expected => ({
    rejected: f.dirt.malformed,
    loaded: f.rows - f.dirt.malformed,
    clean: f.baseRows,
    quarantined: { duplicate_id: f.dirt.duplicate, bad_key: f.dirt.badKey },
  });
  const e = files.events;
  return {
    generator: 'tspipe generate',
    seed: options.seed,
    sizes: { users: options.users, games: options.games, events: options.events },
    rates: options.rates,
    referenceTime: isoTimestamp(tl.end),
    span: { start: isoDate(tl.start), end: isoDate(tl.end) },
    spikeMonth: tl.spikeMonth,
    files,
    expected: {
      users: keyed(files.users),
      games: keyed(files.games),
      events: {
        ...keyed(e),
        clean: e.baseRows - e.dirt.unknownUser - e.dirt.unknownGame - e.dirt.badTimestamp,
        quarantined: {
          unknown_user: e.dirt.unknownUser,
          unknown_game: e.dirt.unknownGame,
          bad_timestamp: e.dirt.badTimestamp,
          duplicate_id: e.dirt.duplicate,
          bad_key: e.dirt.badKey,
        },
      },
    },
  };
}
