/** `tspipe source freshness`: how old each source's latest loaded row is (dbt's command). */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import pc from 'picocolors';
import type { FreshnessResult } from '../../api/source-freshness.js';
import { withProjectOptions, withSelectionOptions, type ProjectArgs } from '../shared-options.js';

type SourceArgs = ArgumentsCamelCase<ProjectArgs & { action: 'freshness'; select?: string[]; exclude?: string[] }>;

const sourceCommand: CommandModule<object, SourceArgs> = {
  command: 'source <action>',
  describe: 'source freshness: check how recently the sources were loaded (loaded_at_field, warn_after, error_after); writes target/sources.json',
  builder: (yargs: Argv) =>
    withSelectionOptions(withProjectOptions(yargs)).positional('action', {
      choices: ['freshness'] as const,
      describe: 'What to do with the sources',
    }) as unknown as Argv<SourceArgs>,
  handler: async (argv) => {
    const { checkSourceFreshness } = await import('../../api/source-freshness.js');
    const outcome = await checkSourceFreshness(argv);
    const total = outcome.results.length;
    outcome.results.forEach((r, i) => console.log(`${i + 1} of ${total} ${label(r)} freshness of ${r.name}: ${describe(r)}`));
    if (!total) console.log('No selected source has a freshness rule with a loaded_at_field.');
    const counts = Object.fromEntries(['pass', 'warn', 'error', 'runtime error'].map((s) => [s, outcome.results.filter((r) => r.status === s).length]));
    console.log(`\nPASS=${counts.pass} WARN=${counts.warn} ERROR=${counts.error + counts['runtime error']} TOTAL=${total} -> ${outcome.path}`);
    process.exitCode = outcome.exitCode;
  },
};
export default sourceCommand;

function label(r: FreshnessResult): string {
  if (r.status === 'pass') return pc.green('PASS');
  if (r.status === 'warn') return pc.yellow('WARN');
  return pc.red(r.status === 'error' ? 'ERROR STALE' : 'ERROR');
}

function describe(r: FreshnessResult): string {
  if (r.ageSeconds === null) return r.message ?? 'not checked';
  const limits = [
    r.criteria.warn_after && `warn after ${span(r.criteria.warn_after)}`,
    r.criteria.error_after && `error after ${span(r.criteria.error_after)}`,
  ].filter(Boolean);
  return `last loaded ${r.maxLoadedAt!.toISOString()}, ${ago(r.ageSeconds)} ago (${limits.join(', ')})`;
}

function span({ count, period }: { count: number; period: string }): string {
  return `${count} ${period}${count === 1 ? '' : 's'}`;
}

function ago(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
