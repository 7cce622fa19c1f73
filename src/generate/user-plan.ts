/**
 * Who the users are and how active each one is, decided before any line is
 * written: typed arrays, O(users) memory, independent of the number of events.
 * A share of users never plays, a share churns (stops months before the end),
 * and events are spread over users by a Pareto law (a few heavy players).
 */
import type { GamePlan } from './games-file.js';
import { type Rng, WeightedIndex } from './prng.js';
import { DAY_MS, type Timeline } from './timeline.js';

export const INACTIVE_SHARE = 0.12;
export const CHURNED_SHARE = 0.28;
const MONTH_MS = 30.44 * DAY_MS;

export interface UserPlan {
  count: number;
  ageRange: Uint8Array;
  gender: Uint8Array;
  location: Uint8Array;
  workout: Uint8Array;
  subscription: Uint8Array;
  /** Index in DEVICE_TYPES of the device the user mostly plays on. */
  device: Uint8Array;
  /** Registration day (ms, midnight UTC), strictly before the first event's day. */
  registration: Float64Array;
  /** Activity window: every event of the user falls in [from, to]. */
  from: Float64Array;
  to: Float64Array;
  /** Number of events of the user (0: inactive); sums to the events asked for. */
  quota: Int32Array;
  favouriteGame: Int32Array;
}

// Weights follow the order of the domain lists in domains.ts.
const AGE = new WeightedIndex([6, 28, 30, 22, 14]);
const GENDER = new WeightedIndex([48, 46, 6]);
const LOCATION = new WeightedIndex([30, 15, 25, 18, 12]);
const WORKOUT = new WeightedIndex([30, 20, 35, 15]);
const SUBSCRIPTION = new WeightedIndex([60, 25, 15]);
const DEVICE = new WeightedIndex([55, 30, 15]);
/** Activity multipliers: Berlin plays more, premium and `maximal` users play more. */
const LOCATION_ACTIVITY = [1.0, 0.9, 1.3, 1.1, 0.8];
const WORKOUT_ACTIVITY = [1.0, 0.6, 1.2, 1.6];
const SUBSCRIPTION_ACTIVITY = [1.0, 1.8, 0.6];
/** Favourite game type by location (index in GAME_TYPES): behaviour differs by city. */
const LOCATION_TASTE = [0, 2, 1, 4, 3];

export function planUsers(count: number, events: number, games: GamePlan, tl: Timeline, rng: Rng): UserPlan {
  const bytes = (): Uint8Array => new Uint8Array(count);
  const plan: UserPlan = {
    count,
    ageRange: bytes(),
    gender: bytes(),
    location: bytes(),
    workout: bytes(),
    subscription: bytes(),
    device: bytes(),
    registration: new Float64Array(count),
    from: new Float64Array(count),
    to: new Float64Array(count),
    quota: new Int32Array(count),
    favouriteGame: new Int32Array(count),
  };
  const weights = new Float64Array(count);
  const byType = gamesByType(games);
  const span = tl.end - tl.start;
  for (let u = 0; u < count; u++) {
    plan.ageRange[u] = AGE.pick(rng);
    plan.gender[u] = GENDER.pick(rng);
    plan.location[u] = LOCATION.pick(rng);
    plan.workout[u] = WORKOUT.pick(rng);
    plan.subscription[u] = SUBSCRIPTION.pick(rng);
    plan.device[u] = DEVICE.pick(rng);
    const taste = byType[LOCATION_TASTE[plan.location[u]!]!];
    plan.favouriteGame[u] = taste && rng.chance(0.4) ? taste.ids[taste.pick.pick(rng)]! : games.popularity.pick(rng);
    const status = rng.next();
    const [from, to] = status < INACTIVE_SHARE ? [NaN, NaN] : activityWindow(tl, status < INACTIVE_SHARE + CHURNED_SHARE, rng);
    plan.from[u] = from;
    plan.to[u] = to;
    const before = Number.isNaN(from)
      ? tl.start - 365 * DAY_MS + rng.next() * (span + 364 * DAY_MS)
      : from - rng.between(1, from === tl.start ? 365 : 30) * DAY_MS;
    plan.registration[u] = before - (before % DAY_MS);
    if (!Number.isNaN(from)) {
      const activity = LOCATION_ACTIVITY[plan.location[u]!]! * WORKOUT_ACTIVITY[plan.workout[u]!]! * SUBSCRIPTION_ACTIVITY[plan.subscription[u]!]!;
      weights[u] = rng.pareto(1.16, 150) * activity * ((to - from) / span);
    }
  }
  allocate(plan, weights, events, tl);
  return plan;
}

/** Churned users stop at least 7 months before the end; the others play until the end. */
function activityWindow(tl: Timeline, churned: boolean, rng: Rng): [number, number] {
  if (churned) {
    const from = tl.start + rng.next() * (tl.end - 9 * MONTH_MS - tl.start);
    return [from, Math.min(from + rng.between(1, 10) * MONTH_MS, tl.end - 7 * MONTH_MS)];
  }
  // Many were already playing when the data starts; the others join over time.
  const from = rng.chance(0.45) ? tl.start : tl.start + rng.next() * (tl.end - 14 * DAY_MS - tl.start);
  return [from, tl.end];
}

/** Events to users in proportion to their weights, by cumulative rounding: sums exactly to `events`. */
function allocate(plan: UserPlan, weights: Float64Array, events: number, tl: Timeline): void {
  let total = weights.reduce((a, b) => a + b, 0);
  if (total === 0 && events > 0 && plan.count > 0) {
    // Every user drew "inactive": make the first one active so the events have an owner.
    [plan.from[0], plan.to[0]] = [tl.start, tl.end];
    plan.registration[0] = tl.start - DAY_MS;
    weights[0] = total = 1;
  }
  let cumulative = 0;
  let given = 0;
  for (let u = 0; u < plan.count; u++) {
    cumulative += weights[u]!;
    const upTo = total > 0 ? Math.round((events * cumulative) / total) : 0;
    plan.quota[u] = upTo - given;
    given = upTo;
  }
}

function gamesByType(games: GamePlan): ({ ids: number[]; pick: WeightedIndex } | undefined)[] {
  return [0, 1, 2, 3, 4].map((type) => {
    const ids = games.ids.flatMap((_id, i) => (games.types[i] === type ? [i] : []));
    return ids.length ? { ids, pick: new WeightedIndex(ids.map((_i, k) => 1 / (k + 1))) } : undefined;
  });
}
