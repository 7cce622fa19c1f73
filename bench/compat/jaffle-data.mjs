// The jaffle shop's seeds, as its README makes them: jafgen, one simulated year.
// jafgen draws at random, so dbt-core and tspipe load the very same files each run.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The seeds the shop's models read (jafgen also writes tweets, which it does not). */
const SEEDS = ['raw_customers', 'raw_items', 'raw_orders', 'raw_products', 'raw_stores', 'raw_supplies'];

export async function generateJaffleData(venv, seedDir) {
  const scratch = mkdtempSync(join(tmpdir(), 'jafgen-'));
  await run(join(venv, 'bin/jafgen'), ['1'], { cwd: scratch, maxBuffer: 64 * 2 ** 20 });
  mkdirSync(seedDir, { recursive: true });
  for (const file of readdirSync(seedDir)) if (file.endsWith('.csv')) rmSync(join(seedDir, file));
  for (const seed of SEEDS) renameSync(join(scratch, 'jaffle-data', `${seed}.csv`), join(seedDir, `${seed}.csv`));
  rmSync(scratch, { recursive: true, force: true });
}
