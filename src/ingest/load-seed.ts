/**
 * `tspipe seed`: one CSV file into one table. A seed configured `raw_landing: true`
 * lands untouched (text, lineage, rejects); any other is a dbt-style typed seed.
 */
import type { DbAdapter } from '../contract/index.js';
import type { SeedNode } from '../parse/manifest.js';
import { loadRawSeed } from './load-raw-seed.js';
import type { SeedLoadResult } from './seed-load-result.js';
import { seedOptions } from './seed-options.js';

export { describeSeedLoad, type SeedLoadResult } from './seed-load-result.js';

export async function loadSeed(adapter: DbAdapter, node: SeedNode, projectDir: string): Promise<SeedLoadResult> {
  const options = seedOptions(node);
  if (options.rawLanding) return loadRawSeed(adapter, node, projectDir, options);
  // Typed seeds need csv-parse for type inference: a raw landing run does not load it.
  const { loadTypedSeed } = await import('./load-typed-seed.js');
  return loadTypedSeed(adapter, node, projectDir, options);
}
