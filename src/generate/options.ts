/** What `generate` needs, its defaults (the committed demo sample), and their checks. */
import { UsageError } from '../errors.js';
import { DIRT_KINDS, type DirtRates } from './dirt.js';

export interface GenerateOptions {
  users: number;
  games: number;
  events: number;
  /** Any text or number; the same seed and sizes give byte-identical files. */
  seed: string;
  outDir: string;
  rates: DirtRates;
}

/** The sample committed in seeds/: `tspipe generate --demo --out seeds` regenerates it. */
export const DEMO_SAMPLE = Object.freeze({ users: 3000, games: 50, events: 90_000, seed: '42' });

/** Throws a UsageError naming the first bad option and what a good value looks like. */
export function checkOptions(options: GenerateOptions): void {
  for (const key of ['users', 'games', 'events'] as const) {
    const n = options[key];
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new UsageError(`--${key} must be a whole number >= 0, got ${n}`);
    }
  }
  if (options.events > 0 && (options.users === 0 || options.games === 0)) {
    throw new UsageError(`--events ${options.events} needs at least one user and one game`, {
      hint: 'pass --users and --games greater than 0, or --events 0',
    });
  }
  for (const kind of DIRT_KINDS) {
    const rate = options.rates[kind];
    if (!(rate >= 0 && rate <= 1)) {
      throw new UsageError(`dirt rate "${kind}" must be between 0 and 1, got ${rate}`, {
        hint: 'rates are probabilities per row or cell: 0.02 means 2%',
      });
    }
  }
  if (!options.outDir) throw new UsageError('--out must name a folder');
}
