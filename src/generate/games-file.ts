/** games.csv: a catalogue of games with Zipf-like popularity, and its dirt. */
import { csvLine } from './csv.js';
import type { CellDirt, DirtInjector } from './dirt.js';
import { DIFFICULTIES, FIRST_GAME_ID, GAME_COLUMNS, GAME_TYPES, PLATFORMS, TYPOS, idAt } from './domains.js';
import { MALFORMED_FORMS, malformedLine } from './malformed.js';
import type { Pools } from './pools.js';
import { type Rng, WeightedIndex } from './prng.js';

export interface GamePlan {
  ids: string[];
  names: string[];
  types: number[];
  platforms: number[];
  difficulties: number[];
  /** Picks a game index by popularity (a few hits, a long tail). */
  popularity: WeightedIndex;
}

const TYPE_DIRT: CellDirt = { empty: true, typos: TYPOS.game_type, caseVariant: true };
const PLATFORM_DIRT: CellDirt = { empty: true, typos: TYPOS.platform, caseVariant: true, whitespace: true };
const DIFFICULTY_DIRT: CellDirt = { empty: true, caseVariant: true };
const EXTRA_WORDS = ['Quest', 'Rush', 'Run', 'Arena', 'Legends', 'Tactics', 'Fit', 'Dash', 'Saga', 'Rumble'];

export function planGames(count: number, pools: Pools, rng: Rng): GamePlan {
  const types = new WeightedIndex([24, 16, 20, 18, 22]);
  const platforms = new WeightedIndex([35, 45, 20]);
  const difficulties = new WeightedIndex([35, 40, 25]);
  const plan: GamePlan = { ids: [], names: [], types: [], platforms: [], difficulties: [], popularity: new WeightedIndex([1]) };
  const rank = shuffledRanks(count, rng);
  for (let i = 0; i < count; i++) {
    plan.ids.push(String(idAt(FIRST_GAME_ID, i)));
    plan.names.push(gameName(pools, rng));
    plan.types.push(types.pick(rng));
    plan.platforms.push(platforms.pick(rng));
    plan.difficulties.push(difficulties.pick(rng));
  }
  if (count > 0) plan.popularity = new WeightedIndex(rank.map((r) => 1 / Math.pow(r + 1, 1.1)));
  return plan;
}

/** `Dragon Quest`, sometimes with a subtitle, a comma or quotes: the loader must handle RFC 4180 quoting. */
function gameName(pools: Pools, rng: Rng): string {
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
  const name = `${cap(rng.pick(pools.adjectives))} ${cap(rng.pick(pools.nouns))}`;
  const r = rng.next();
  if (r < 0.1) return `${name}: ${rng.pick(EXTRA_WORDS)}`;
  if (r < 0.16) return `${name}, Deluxe Edition`;
  if (r < 0.2) return `The "${cap(rng.pick(pools.nouns))}" ${rng.pick(EXTRA_WORDS)}`;
  return name;
}

function shuffledRanks(n: number, rng: Rng): number[] {
  const ranks = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
  }
  return ranks;
}

export function* gameLines(plan: GamePlan, dirt: DirtInjector): Generator<string> {
  yield csvLine(GAME_COLUMNS);
  const rng = dirt.rng;
  for (let i = 0; i < plan.ids.length; i++) {
    const clean = [plan.ids[i]!, plan.names[i]!, GAME_TYPES[plan.types[i]!]!, PLATFORMS[plan.platforms[i]!]!, DIFFICULTIES[plan.difficulties[i]!]!];
    const line = csvLine([clean[0]!, clean[1]!, dirt.cell(clean[2]!, TYPE_DIRT), dirt.cell(clean[3]!, PLATFORM_DIRT), dirt.cell(clean[4]!, DIFFICULTY_DIRT)]);
    yield line;
    if (dirt.fires('duplicate')) {
      const exact = rng.chance(0.5);
      dirt.countForm(exact ? 'duplicate_exact' : 'duplicate_conflicting');
      yield exact ? line : csvLine([clean[0]!, clean[1]!, rng.pick(GAME_TYPES), rng.pick(PLATFORMS), rng.pick(DIFFICULTIES)]);
    }
    if (dirt.fires('badKey')) yield csvLine([`${clean[0]}a`, ...clean.slice(1)]);
    if (dirt.fires('malformed')) {
      const form = rng.pick(MALFORMED_FORMS);
      dirt.countForm(`malformed_${form}`);
      yield malformedLine(clean, 2, form, rng);
    }
  }
}
