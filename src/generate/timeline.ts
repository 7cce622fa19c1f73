/**
 * When events happen: a span of 24 full months (plus the partial month of the
 * reference date) whose end is derived from the seed, never from today's clock.
 * Activity density is seasonal (winter and January high, summer low) with one
 * one-off spike month; times of day follow a daily curve.
 */
import { hashSeed, WeightedIndex, type Rng } from './prng.js';

export const DAY_MS = 86_400_000;
export const SPAN_MONTHS = 24;
/** Relative activity by month of year, January first. */
export const SEASONALITY = [1.6, 1.3, 1.1, 1.0, 0.9, 0.8, 0.7, 0.7, 0.9, 1.0, 1.15, 1.35] as const;
export const SPIKE_FACTOR = 2.5;
/** Relative activity by hour of day (UTC): quiet nights, busy evenings. */
const HOURS = [3, 2, 1, 1, 1, 2, 4, 7, 8, 6, 5, 6, 8, 7, 5, 5, 6, 8, 10, 12, 12, 10, 7, 5];

export interface Timeline {
  /** First instant (first day of the first month, 00:00:00 UTC). */
  start: number;
  /** Reference date: the last second of the data. */
  end: number;
  /** Month starts (ms), one more entry than months: the last is `end`. */
  bounds: number[];
  weights: number[];
  /** `YYYY-MM` of the one-off spike. */
  spikeMonth: string;
  /** Cumulative mass at each bound, for inverse-CDF sampling. */
  mass: Float64Array;
  hours: WeightedIndex;
}

export function buildTimeline(seed: string | number): Timeline {
  const h = hashSeed(seed, 'timeline');
  // A reference date between 2024-07-01 and 2025-06-30, fixed by the seed.
  const endDay = Date.UTC(2024, 6, 1) + (h % 365) * DAY_MS;
  const end = endDay + DAY_MS - 1000;
  const endDate = new Date(endDay);
  const bounds: number[] = [];
  for (let m = SPAN_MONTHS; m >= 0; m--) bounds.push(Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth() - m, 1));
  bounds.push(end);
  const months = bounds.length - 1;
  // The spike avoids the edges and Jan/Jul/Dec, so it never blurs the seasonal pattern.
  const candidates = [...Array(months).keys()].filter((i) => i >= 2 && i <= months - 3 && ![0, 6, 11].includes(new Date(bounds[i]!).getUTCMonth()));
  const spike = candidates[(h >>> 9) % candidates.length]!;
  const weights = bounds.slice(0, -1).map((b, i) => SEASONALITY[new Date(b).getUTCMonth()]! * (i === spike ? SPIKE_FACTOR : 1));
  const mass = new Float64Array(bounds.length);
  for (let i = 0; i < months; i++) mass[i + 1] = mass[i]! + (weights[i]! * (bounds[i + 1]! - bounds[i]!)) / DAY_MS;
  return { start: bounds[0]!, end, bounds, weights, spikeMonth: monthKey(bounds[spike]!), mass, hours: new WeightedIndex(HOURS) };
}

/** Cumulative mass at instant t (piecewise linear between month bounds). */
function massAt(tl: Timeline, t: number): number {
  const i = monthIndex(tl, t);
  return tl.mass[i]! + (tl.weights[i]! * (t - tl.bounds[i]!)) / DAY_MS;
}

function monthIndex(tl: Timeline, t: number): number {
  let lo = 0;
  let hi = tl.weights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (tl.bounds[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** An instant in [from, to] drawn from the seasonal density, at a plausible hour. */
export function sampleTime(tl: Timeline, from: number, to: number, rng: Rng): number {
  const target = massAt(tl, from) + rng.next() * (massAt(tl, to) - massAt(tl, from));
  let i = 0;
  while (i < tl.weights.length - 1 && tl.mass[i + 1]! < target) i++;
  const t = tl.bounds[i]! + ((target - tl.mass[i]!) * DAY_MS) / tl.weights[i]!;
  const day = t - (t % DAY_MS);
  const withHour = day + tl.hours.pick(rng) * 3_600_000 + rng.int(3600) * 1000;
  return withHour >= from && withHour <= to ? withHour : Math.floor(t / 1000) * 1000;
}

export function monthKey(t: number): string {
  return new Date(t).toISOString().slice(0, 7);
}

const TWO_DIGITS = Array.from({ length: 60 }, (_v, i) => String(i).padStart(2, '0'));
/** `YYYY-MM-DDT` by day number: Date#toISOString per event took a quarter of the run time. */
const dayPrefixes = new Map<number, string>();

/** `2024-06-15T14:23:01`: ISO, no zone, as the feed writes it. */
export function isoTimestamp(t: number): string {
  const day = Math.floor(t / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 100_000) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const s = Math.floor((t - day * DAY_MS) / 1000);
  return prefix + TWO_DIGITS[Math.floor(s / 3600)] + ':' + TWO_DIGITS[Math.floor(s / 60) % 60] + ':' + TWO_DIGITS[s % 60];
}

export function isoDate(t: number): string {
  return isoTimestamp(t).slice(0, 10);
}
