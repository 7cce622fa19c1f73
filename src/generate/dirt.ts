/**
 * Dirt: what real feeds do wrong, injected at rates the user sets. Each kind is a
 * probability per eligible cell or row; `--dirt R` sets them all at once.
 */
import type { Rng } from './prng.js';

export const DIRT_KINDS = [
  'case',
  'typo',
  'empty',
  'whitespace',
  'negativeDuration',
  'unknownDevice',
  'unknownUser',
  'unknownGame',
  'badTimestamp',
  'duplicate',
  'badKey',
  'malformed',
] as const;
export type DirtKind = (typeof DIRT_KINDS)[number];
export type DirtRates = Record<DirtKind, number>;
export type DirtCounts = Record<DirtKind, number>;

/** A few percent for cosmetic dirt; rarer for rows the clean layer must quarantine or the loader reject. */
export const DEFAULT_DIRT_RATES: Readonly<DirtRates> = Object.freeze({
  case: 0.03,
  typo: 0.03,
  empty: 0.02,
  whitespace: 0.01,
  negativeDuration: 0.02,
  unknownDevice: 0.02,
  unknownUser: 0.01,
  unknownGame: 0.01,
  badTimestamp: 0.005,
  duplicate: 0.01,
  badKey: 0.003,
  malformed: 0.001,
});

/** Defaults, then `level` for every kind, then per-kind overrides. */
export function resolveDirtRates(level?: number, overrides: Partial<DirtRates> = {}): DirtRates {
  const rates = { ...DEFAULT_DIRT_RATES };
  for (const kind of DIRT_KINDS) {
    if (level !== undefined) rates[kind] = level;
    const override = overrides[kind];
    if (override !== undefined) rates[kind] = override;
  }
  return rates;
}

export function zeroDirtCounts(): DirtCounts {
  return Object.fromEntries(DIRT_KINDS.map((k) => [k, 0])) as DirtCounts;
}

/** Which dirt a cell may get; the first kind that fires wins, in this order. */
export interface CellDirt {
  empty?: boolean;
  typos?: Readonly<Record<string, string>>;
  caseVariant?: boolean;
  whitespace?: boolean;
}

/** Draws dirt for one file and counts every injection (the manifest reports them). */
export class DirtInjector {
  readonly counts = zeroDirtCounts();
  /** Sub-forms (duplicate_exact, malformed_stray_quote, ...) for the manifest. */
  readonly forms: Record<string, number> = {};

  constructor(
    readonly rates: Readonly<DirtRates>,
    readonly rng: Rng,
  ) {}

  fires(kind: DirtKind): boolean {
    const rate = this.rates[kind];
    if (rate <= 0 || this.rng.next() >= rate) return false;
    this.counts[kind]++;
    return true;
  }

  countForm(form: string): void {
    this.forms[form] = (this.forms[form] ?? 0) + 1;
  }

  cell(value: string, dirt: CellDirt): string {
    if (dirt.empty && this.fires('empty')) return '';
    if (dirt.typos && value in dirt.typos && this.fires('typo')) return dirt.typos[value]!;
    if (dirt.caseVariant && this.fires('case')) return caseVariant(value, this.rng);
    if (dirt.whitespace && this.fires('whitespace')) return padWithSpaces(value, this.rng);
    return value;
  }
}

/** `MOBILE`, `Start_Game`, `Medium`: a letter-case form that differs from the value. */
export function caseVariant(value: string, rng: Rng): string {
  const title = value.toLowerCase().replace(/(^|_)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
  const forms = [value.toUpperCase(), value.toLowerCase(), title].filter((f) => f !== value);
  return forms.length ? rng.pick(forms) : value;
}

function padWithSpaces(value: string, rng: Rng): string {
  const r = rng.int(3);
  return r === 0 ? ` ${value}` : r === 1 ? `${value} ` : ` ${value}  `;
}
