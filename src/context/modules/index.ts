/**
 * `modules` in a dbt template: the Python modules dbt exposes (datetime, pytz, re,
 * itertools), rebuilt with the behaviour templates rely on.
 */
import { datetimeModule } from './datetime.js';
import { reModule } from './re.js';
import { UTC, timezone } from './timezones.js';

function* product(...lists: unknown[]): Generator<unknown[]> {
  const pools = lists.map((l) => [...(l as Iterable<unknown>)]);
  if (pools.some((p) => p.length === 0)) return;
  const indexes = pools.map(() => 0);
  while (true) {
    yield Object.freeze(pools.map((p, i) => p[indexes[i]!])) as unknown[];
    let k = pools.length - 1;
    while (k >= 0 && ++indexes[k]! === pools[k]!.length) indexes[k--] = 0;
    if (k < 0) return;
  }
}

export const pythonModules = {
  datetime: datetimeModule,
  pytz: { timezone, utc: UTC, UTC },
  re: reModule,
  itertools: {
    product: (...lists: unknown[]) => [...product(...lists)],
    chain: (...lists: unknown[]) => lists.flatMap((l) => [...(l as Iterable<unknown>)]),
  },
};
