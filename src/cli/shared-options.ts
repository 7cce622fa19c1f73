/** Options every command shares, defined once. */
import type { Argv } from 'yargs';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { INDIRECT_SELECTION_MODES } from '../graph/index.js';
import { JsonReporter } from './json-reporter.js';
import { TerminalReporter } from './terminal-reporter.js';

export function withProjectOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('project-dir', { type: 'string', describe: 'Project folder (with project.yml or dbt_project.yml)', default: '.', group: 'Project:' })
    .option('target', {
      alias: 't',
      type: 'string',
      describe: 'Target from project.yml: dev (embedded PGlite, default) or pg (PostgreSQL from $DATABASE_URL)',
      group: 'Project:',
    })
    .option('database-url', { type: 'string', describe: 'PostgreSQL URL; overrides the target (env: TSPIPE_DATABASE_URL)', group: 'Project:' })
    .option('profiles-dir', {
      type: 'string',
      describe: 'Folder of a dbt profiles.yml (default: $DBT_PROFILES_DIR, the project folder, ~/.dbt)',
      group: 'Project:',
    })
    .option('profile', { type: 'string', describe: "Entry of profiles.yml to use instead of the project's profile:", group: 'Project:' })
    .option('vars', { type: 'string', describe: 'Project vars as JSON or YAML, e.g. \'{"as_of_date": "2024-06-30"}\'', group: 'Project:', coerce: parseVars })
    .option('seed-paths', {
      type: 'string',
      array: true,
      describe: "Folders of CSV seeds to use instead of project.yml's seed-paths (e.g. a dataset from tspipe generate --out DIR)",
      group: 'Project:',
    })
    .option('partial-parse', {
      type: 'boolean',
      default: true,
      describe: 'Reuse target/ caches for unchanged files (--no-partial-parse: read and render everything)',
      group: 'Project:',
    });
}

/** What withProjectOptions gives a handler. */
export interface ProjectArgs {
  projectDir: string;
  target?: string;
  databaseUrl?: string;
  vars?: Record<string, unknown>;
  partialParse: boolean;
  profilesDir?: string;
  profile?: string;
  seedPaths?: string[];
}

/** What withRunOptions (and a command's own --no-wait) gives a handler. */
export interface RunArgs {
  threads?: number;
  failFast?: boolean;
  dryRun?: boolean;
  /** --no-wait arrives as wait=false (yargs' boolean negation). */
  wait?: boolean;
  unitTestTarget?: boolean;
  eventTimeStart?: string;
  eventTimeEnd?: string;
}

/** The project and run options of a command's arguments, as the api/ functions take them. */
export function runOptionsFrom(argv: ProjectArgs & RunArgs) {
  const {
    projectDir,
    partialParse,
    target,
    databaseUrl,
    vars,
    threads,
    failFast,
    dryRun,
    profilesDir,
    profile,
    unitTestTarget,
    eventTimeStart,
    eventTimeEnd,
    seedPaths,
  } = argv;
  return {
    projectDir,
    partialParse,
    target,
    databaseUrl,
    vars,
    threads,
    failFast,
    dryRun,
    profilesDir,
    profile,
    unitTestTarget,
    eventTimeStart,
    eventTimeEnd,
    seedPaths,
    noWait: argv.wait === false,
  };
}

export function withSelectionOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('select', {
      alias: ['s', 'models', 'm'],
      type: 'string',
      array: true,
      describe: 'Nodes to include: name, +name, name+, tag:x, path:models/kpi, config.materialized:table, a,b (intersection)',
      group: 'Selection:',
    })
    .option('exclude', { type: 'string', array: true, describe: 'Nodes to leave out (same syntax as --select)', group: 'Selection:' });
}

/** dbt's --indirect-selection, for the commands that run tests (test, build). */
export function withIndirectSelectionOption<T>(yargs: Argv<T>) {
  return yargs.option('indirect-selection', {
    choices: INDIRECT_SELECTION_MODES,
    default: 'eager' as const,
    describe: 'Which tests of selected models run: eager (any parent selected), cautious (all), buildable, empty',
    group: 'Selection:',
  });
}

/** Options of every command that runs nodes; `tspipe test` has no --full-refresh. */
export function withRunOptions<T>(yargs: Argv<T>, { fullRefresh = true } = {}) {
  const withRefresh = fullRefresh
    ? yargs
        .option('full-refresh', { type: 'boolean', default: false, describe: 'Rebuild incremental models from scratch', group: 'Run:' })
        .option('event-time-start', {
          type: 'string',
          describe: 'Microbatch models run the batches from this time (ISO date or timestamp, UTC)',
          group: 'Run:',
        })
        .option('event-time-end', { type: 'string', describe: 'Microbatch models run the batches up to this time (exclusive)', group: 'Run:' })
    : yargs;
  return withWaitOption(withRefresh)
    .option('threads', { type: 'number', describe: 'Nodes run in parallel (PostgreSQL only; PGlite runs one at a time)', group: 'Run:', coerce: parseThreads })
    .option('fail-fast', { alias: 'x', type: 'boolean', default: false, describe: 'Stop at the first failure', group: 'Run:' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan without touching the database', group: 'Run:' })
    .option('unit-test-target', {
      type: 'boolean',
      default: false,
      describe: 'Run unit tests on the target database (its input relations must exist) instead of an embedded scratch database',
      group: 'Run:',
    });
}

/**
 * --no-wait. Declared as `wait` because yargs reads any --no-X as X=false: a declared
 * `no-wait` would still arrive as an unknown `wait` and fail --strict.
 */
export function withWaitOption<T>(yargs: Argv<T>) {
  return yargs.option('wait', {
    type: 'boolean',
    default: true,
    describe: 'Queue behind another run writing a relation this run writes (--no-wait: fail at once, exit 1)',
    group: 'Run:',
  });
}

/** dbt's --store-failures, for `test` and `build`. */
export function withStoreFailuresOption<T>(yargs: Argv<T>) {
  return yargs.option('store-failures', {
    type: 'boolean',
    default: false,
    describe:
      'Keep the failing rows of every test not configured otherwise, replaced each run (dbt projects: <schema>_dbt_test__audit.<test>; project.yml: <schema>_test_failures.<test>)',
    group: 'Run:',
  });
}

export function withOutputOptions<T>(yargs: Argv<T>) {
  return yargs.option('log-format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Terminal output format', group: 'Output:' });
}

export function reporterFor(logFormat: string | undefined) {
  return logFormat === 'json' ? new JsonReporter() : new TerminalReporter();
}

/** The same bounds as `threads:` in project.yml; 0 would start nothing and wait forever. */
function parseThreads(threads: number | undefined): number | undefined {
  if (threads === undefined || (Number.isInteger(threads) && threads >= 1 && threads <= 64)) return threads;
  throw new UsageError(`--threads: ${threads} is not a whole number from 1 to 64`);
}

/** JSON is YAML too, so one parser takes both `{"a": 1}` and `{a: 1}`. */
export function parseVars(text: string | undefined): Record<string, unknown> | undefined {
  return parseMapping('--vars', text, 'pass JSON or YAML, e.g. --vars \'{"as_of_date": "2024-06-30"}\' or --vars "{as_of_date: 2024-06-30}"');
}

/** A command-line option holding a JSON or YAML mapping (--vars, run-operation's --args). */
export function parseMapping(option: string, text: string | undefined, hint: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    value = error;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error)) return value as Record<string, unknown>;
  throw new UsageError(`${option}: cannot read ${JSON.stringify(text)} as a mapping`, { hint });
}
