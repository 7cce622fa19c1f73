/** users.csv: one line per planned user, with dirt, duplicate ids and bad keys. */
import { csvLine } from './csv.js';
import type { CellDirt, DirtInjector } from './dirt.js';
import { AGE_RANGES, GENDERS, LOCATIONS, SUBSCRIPTION_TYPES, USER_COLUMNS, WORKOUT_FREQUENCIES, idAt } from './domains.js';
import { MALFORMED_FORMS, malformedLine } from './malformed.js';
import type { Pools } from './pools.js';
import type { Rng } from './prng.js';
import { isoDate } from './timeline.js';
import type { UserPlan } from './user-plan.js';

const EMPTY_ONLY: CellDirt = { empty: true };
const CASE_ONLY: CellDirt = { caseVariant: true };
const LOCATION_DIRT: CellDirt = { empty: true, whitespace: true };
const EMAIL_COLUMN = 3;

export function* userLines(plan: UserPlan, pools: Pools, rng: Rng, dirt: DirtInjector): Generator<string> {
  yield csvLine(USER_COLUMNS);
  for (let u = 0; u < plan.count; u++) {
    const clean = [
      String(idAt(1, u)),
      AGE_RANGES[plan.ageRange[u]!]!,
      isoDate(plan.registration[u]!),
      email(pools, rng),
      WORKOUT_FREQUENCIES[plan.workout[u]!]!,
      GENDERS[plan.gender[u]!]!,
      LOCATIONS[plan.location[u]!]!,
      SUBSCRIPTION_TYPES[plan.subscription[u]!]!,
    ];
    const line = csvLine([
      clean[0]!,
      dirt.cell(clean[1]!, EMPTY_ONLY),
      clean[2]!,
      clean[3]!,
      dirt.cell(clean[4]!, CASE_ONLY),
      dirt.cell(clean[5]!, EMPTY_ONLY),
      dirt.cell(clean[6]!, LOCATION_DIRT),
      dirt.cell(clean[7]!, CASE_ONLY),
    ]);
    yield line;
    yield* extras(clean, line, pools, dirt);
  }
}

/** Rows the clean layer must quarantine or the loader reject, right after their original. */
function* extras(clean: string[], line: string, pools: Pools, dirt: DirtInjector): Generator<string> {
  const rng = dirt.rng;
  if (dirt.fires('duplicate')) {
    // Same user_id twice: an exact copy, or a conflicting one (another email, city, plan).
    const exact = rng.chance(0.5);
    dirt.countForm(exact ? 'duplicate_exact' : 'duplicate_conflicting');
    const other = [...clean];
    other[3] = email(pools, rng);
    other[6] = rng.pick(LOCATIONS);
    other[7] = rng.pick(SUBSCRIPTION_TYPES);
    yield exact ? line : csvLine(other);
  }
  if (dirt.fires('badKey')) yield csvLine([`${clean[0]}a`, ...clean.slice(1)]);
  if (dirt.fires('malformed')) {
    const form = rng.pick(MALFORMED_FORMS);
    dirt.countForm(`malformed_${form}`);
    yield malformedLine(clean, EMAIL_COLUMN, form, rng);
  }
}

/** `jane.doe42@gmail.com`: built from faker-drawn pools, only [a-z0-9._@-]. */
function email(pools: Pools, rng: Rng): string {
  const first = rng.pick(pools.firstNames);
  const last = rng.pick(pools.lastNames);
  const sep = rng.pick(['.', '_', '']);
  const digits = rng.chance(0.6) ? String(rng.int(1000)) : '';
  const local = `${first}${sep}${last}${digits}`.toLowerCase().replace(/[^a-z0-9._]/g, '');
  return `${local}@${rng.pick(pools.emailDomains)}`;
}
