/**
 * `tspipe seed`: one CSV file into one table. A seed configured `raw_landing: true`
 * lands untouched (text, lineage, rejects); with an inbox folder (`seeds/inbox/<seed>/`)
 * its files land once each through the load ledger; any other is a dbt-style typed seed.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DbAdapter } from '../contract/index.js';
import { ProjectError } from '../errors.js';
import { seedInboxFolder } from '../parse/discover-files.js';
import type { SeedNode } from '../parse/manifest.js';
import { loadRawSeed } from './load-raw-seed.js';
import type { SeedLoadResult } from './seed-load-result.js';
import { seedOptions } from './seed-options.js';

export { describeSeedLoad, type SeedLoadResult } from './seed-load-result.js';

/** `fullRefresh`: a seed with an inbox lands every file again (a seed without one always does). */
export async function loadSeed(adapter: DbAdapter, node: SeedNode, projectDir: string, { fullRefresh = false } = {}): Promise<SeedLoadResult> {
  const options = seedOptions(node);
  // Checked at load time, not parse time: the inbox folder may appear between runs.
  const inbox = seedInboxFolder(node.originalFilePath);
  const hasInbox = await stat(path.join(projectDir, inbox)).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (hasInbox && !options.rawLanding) {
    throw new ProjectError(`the seed has an inbox (${inbox}/) but is not a raw landing seed`, {
      file: node.originalFilePath,
      hint: 'set raw_landing: true for this seed (rows need _source_file to be replaced file by file), or move the inbox folder away',
    });
  }
  if (hasInbox) {
    const { loadInboxSeed } = await import('./load-inbox.js');
    return loadInboxSeed(adapter, node, projectDir, options, { inbox, fullRefresh });
  }
  if (options.rawLanding) return loadRawSeed(adapter, node, projectDir, options);
  // Typed seeds need csv-parse for type inference: a raw landing run does not load it.
  const { loadTypedSeed } = await import('./load-typed-seed.js');
  return loadTypedSeed(adapter, node, projectDir, options);
}
