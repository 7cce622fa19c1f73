/**
 * events.csv, user after user: each user's events come in sessions (bursts a few
 * minutes apart on one game) placed in the user's activity window by the seasonal
 * timeline. Event ids increase through the file; only duplicates repeat one.
 * Every value here comes from a fixed domain and never needs CSV quoting, so
 * lines are joined without the per-field check (a third of the run time).
 */
import { csvLine, plainLine } from './csv.js';
import type { CellDirt, DirtInjector } from './dirt.js';
import { BAD_TIMESTAMPS, DEVICE_TYPES, DURATIONS, EVENT_COLUMNS, EVENT_TYPES, INVALID_ID, NEGATIVE_DURATION, UNKNOWN_DEVICE, idAt } from './domains.js';
import type { GamePlan } from './games-file.js';
import { MALFORMED_FORMS, malformedLine } from './malformed.js';
import type { Rng } from './prng.js';
import { isoTimestamp, sampleTime, type Timeline } from './timeline.js';
import type { UserPlan } from './user-plan.js';

/** Longest pause inside a session (12 min): well under the 30-minute session gap. */
export const MAX_STEP_S = 720;
const EVENT_TYPE_DIRT: CellDirt = { empty: true, caseVariant: true };
const DEVICE_DIRT: CellDirt = { caseVariant: true, whitespace: true };
const DEVICE_COLUMN = 6;
const RECENT = 512;
const BAD_ID = String(INVALID_ID);

interface Recent {
  fields: string[];
  line: string;
  time: number;
}

export function* eventLines(users: UserPlan, games: GamePlan, tl: Timeline, rng: Rng, dirt: DirtInjector): Generator<string> {
  yield csvLine(EVENT_COLUMNS);
  const recent: Recent[] = [];
  let eventId = 0;
  let last: string[] | undefined;
  for (let u = 0; u < users.count; u++) {
    const userId = String(idAt(1, u));
    const device = DEVICE_TYPES[users.device[u]!]!;
    const favourite = users.favouriteGame[u]!;
    const from = users.from[u]!;
    for (let remaining = users.quota[u]!; remaining > 0; ) {
      const length = Math.min(remaining, 1 + rng.geometric(0.3));
      remaining -= length;
      let time = sampleTime(tl, from, Math.max(from, users.to[u]! - length * MAX_STEP_S * 1000), rng);
      const gameId = games.ids[rng.chance(0.6) ? favourite : games.popularity.pick(rng)]!;
      let playing = false;
      for (let k = 0; k < length; k++) {
        const type = sessionEventType(k, playing, rng);
        if (type === 'start_game') playing = true;
        else if (type === 'finish_game') playing = false;
        const fields = [String(++eventId), gameId, userId, isoTimestamp(time), type, rng.pick(DURATIONS), rng.chance(0.9) ? device : rng.pick(DEVICE_TYPES)];
        yield* emit(fields, time, recent, tl, dirt);
        last = fields;
        time += rng.between(45, MAX_STEP_S) * 1000;
      }
    }
  }
  if (last && dirt.rates.malformed > 0) {
    // Exactly one, and always the last line: an unclosed quote swallows the rest of a file.
    dirt.counts.malformed++;
    dirt.countForm('malformed_unterminated_quote');
    yield malformedLine(last, DEVICE_COLUMN, 'unterminated_quote', dirt.rng);
  }
}

/** The k-th event type of a session: login or a start first, then starts and finishes in turn, now and then a purchase. */
export function sessionEventType(k: number, playing: boolean, rng: Rng): string {
  if (k === 0) return rng.chance(0.7) ? 'login' : 'start_game';
  if (rng.chance(0.05)) return 'purchase';
  return playing ? 'finish_game' : 'start_game';
}

function* emit(clean: string[], time: number, recent: Recent[], tl: Timeline, dirt: DirtInjector): Generator<string> {
  const row = [...clean];
  // At most one reason per row to be invalid, so the quarantine counts are predictable.
  let valid = false;
  if (dirt.fires('unknownUser')) row[2] = BAD_ID;
  else if (dirt.fires('unknownGame')) row[1] = BAD_ID;
  else if (dirt.fires('badTimestamp')) row[3] = dirt.rng.pick(BAD_TIMESTAMPS);
  else valid = true;
  row[4] = dirt.cell(row[4]!, EVENT_TYPE_DIRT);
  if (dirt.fires('empty')) row[5] = '';
  else if (dirt.fires('negativeDuration')) row[5] = NEGATIVE_DURATION;
  row[6] = dirt.fires('unknownDevice') ? UNKNOWN_DEVICE : dirt.cell(row[6]!, DEVICE_DIRT);
  const line = plainLine(row);
  yield line;
  if (valid) {
    if (recent.length < RECENT) recent.push({ fields: clean, line, time });
    else recent[dirt.rng.int(RECENT)] = { fields: clean, line, time };
  }
  yield* extras(clean, recent, tl, dirt);
}

function* extras(clean: string[], recent: Recent[], tl: Timeline, dirt: DirtInjector): Generator<string> {
  const rng = dirt.rng;
  // A duplicate repeats a recent valid event (not always the one just written).
  if (recent.length > 0 && dirt.fires('duplicate')) {
    const original = rng.pick(recent);
    const exact = rng.chance(0.5);
    dirt.countForm(exact ? 'duplicate_exact' : 'duplicate_conflicting');
    if (exact) yield original.line;
    else {
      const shift = rng.between(1, 600) * 1000 * (rng.chance(0.5) ? 1 : -1);
      const time = Math.min(tl.end, Math.max(tl.start, original.time + shift));
      const [id, game, user] = original.fields;
      yield plainLine([id!, game!, user!, isoTimestamp(time), rng.pick(EVENT_TYPES), rng.pick(DURATIONS), rng.pick(DEVICE_TYPES)]);
    }
  }
  if (dirt.fires('badKey')) yield plainLine([rng.chance(0.5) ? 'abc' : `${clean[0]}a`, ...clean.slice(1)]);
  if (dirt.fires('malformed')) {
    const form = rng.pick(MALFORMED_FORMS);
    dirt.countForm(`malformed_${form}`);
    yield malformedLine(clean, DEVICE_COLUMN, form, rng);
  }
}
