/** `tspipe generate`: synthetic users/games/events CSVs with dirt; prints a summary. */
import type { Argv, CommandModule } from 'yargs';
import type { DatasetProgress, GenerateResult } from '../../api/generate.js';
import { DEFAULT_DIRT_RATES, DIRT_KINDS, type DirtKind, type DirtRates } from '../../generate/dirt.js';
import { DEMO_SAMPLE } from '../../generate/options.js';

const DIRT_HELP: Record<DirtKind, string> = {
  case: 'letter-case variants of enums (MOBILE, Start_Game, Medium, PREMIUM)',
  typo: 'typos in game_type and platform (Actionn, PuzZle, androiid)',
  empty: 'empty age_range, gender, location, game_type, platform, difficulty, event_type, duration_seconds',
  whitespace: 'leading/trailing spaces in location, platform, device_type',
  negativeDuration: 'duration_seconds -10',
  unknownDevice: 'device_type tablet (outside mobile/web/console)',
  unknownUser: 'events with user_id 9999 (no such user)',
  unknownGame: 'events with game_id 9999 (no such game)',
  badTimestamp: 'event_time 2024-13-45T99:00:00, yesterday or empty',
  duplicate: 'extra rows repeating an id: exact copies and conflicting copies',
  badKey: 'extra rows with an unparseable id (user_id 12a, event_id abc)',
  malformed: 'extra lines a CSV parser rejects (stray quote, missing or extra column; one unclosed quote as the last line of events.csv)',
};

const kebab = (kind: string): string => kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

interface GenerateArgs {
  out: string;
  users?: number;
  games?: number;
  events?: number;
  seed?: string;
  demo?: boolean;
  dirt?: number;
  day?: string;
  [option: string]: unknown;
}

const command: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write seeded synthetic users.csv, games.csv and events.csv (with dirt) for the KPI pipeline',
  builder: (yargs: Argv) => {
    let y = yargs
      .option('out', { type: 'string', demandOption: true, describe: 'Folder to write the CSVs and generate-manifest.json into (created if missing)' })
      .option('users', { type: 'number', describe: `Number of users (default ${DEMO_SAMPLE.users})` })
      .option('games', { type: 'number', describe: `Number of games, ids from 100 up (default ${DEMO_SAMPLE.games})` })
      .option('events', { type: 'number', describe: `Number of events before dirt rows are added (default ${DEMO_SAMPLE.events})` })
      .option('seed', { type: 'string', describe: `Any text or number; same arguments give byte-identical files (default ${DEMO_SAMPLE.seed})` })
      .option('demo', { type: 'boolean', describe: 'The demo sample committed in seeds/ (its sizes and seed)' })
      .option('dirt', { type: 'number', describe: 'Set every dirt rate below at once (0 = clean data); --dirt-* options still override' })
      .option('day', {
        type: 'string',
        describe:
          "One day's events (YYYY-MM-DD) into <out>/inbox/events/<day>.csv, for the users and games already in <out>; --events: how many (default: the dataset's average day)",
      })
      .group(['out', 'users', 'games', 'events', 'seed', 'demo', 'dirt', 'day'], 'Data:');
    for (const kind of DIRT_KINDS) {
      y = y.option(`dirt-${kebab(kind)}`, {
        type: 'number',
        describe: `Rate of ${DIRT_HELP[kind]} (default ${DEFAULT_DIRT_RATES[kind]})`,
      });
    }
    return y
      .group(
        DIRT_KINDS.map((k) => `dirt-${kebab(k)}`),
        'Dirt rates (probability per row or cell, 0..1):',
      )
      .example('$0 generate --demo --out seeds', 'regenerate the committed demo sample')
      .example('$0 generate --events 1000000 --users 50000 --out data', 'a million events with the default dirt')
      .example('$0 generate --dirt 0 --out clean', 'perfectly clean data')
      .example('$0 generate --day 2025-12-30 --out seeds', "one day's events file for the seed inbox") as unknown as Argv<GenerateArgs>;
  },
  handler: async (args) => {
    if (args.day !== undefined) {
      const { generateDay } = await import('../../api/generate.js');
      const day = await generateDay({ out: args.out, day: String(args.day), events: args.events, seed: args.seed });
      process.stdout.write(
        `Generated ${day.rows.toLocaleString('en-US')} events for ${day.day} (${formatBytes(day.bytes)}) in ${day.path}, ` +
          `from ${day.users.toLocaleString('en-US')} users and ${day.games} games, seed ${day.seed}\n`,
      );
      return;
    }
    const rates: Partial<DirtRates> = {};
    for (const kind of DIRT_KINDS) {
      const value = args[`dirt-${kebab(kind)}`];
      if (typeof value === 'number') rates[kind] = value;
    }
    const progress = process.stderr.isTTY ? terminalProgress() : undefined;
    let result: GenerateResult;
    try {
      const { generate } = await import('../../api/generate.js');
      result = await generate(
        { out: args.out, users: args.users, games: args.games, events: args.events, seed: args.seed, demo: args.demo, dirt: args.dirt, rates },
        { reporter: progress },
      );
    } finally {
      progress?.done();
    }
    process.stdout.write(summary(result));
  },
};

export default command;

/** One self-erasing stderr line, redrawn at most ten times a second. */
function terminalProgress(): { progress(p: DatasetProgress): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    progress(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      drawn = true;
      const pct = p.plannedRows > 0 ? Math.min(100, Math.floor((100 * p.rows) / p.plannedRows)) : 100;
      process.stderr.write(`\r\x1b[K${p.file}.csv ${pct}% (${p.rows.toLocaleString('en-US')} rows)`);
    },
    done() {
      if (drawn) process.stderr.write('\r\x1b[K');
      drawn = false;
    },
  };
}

function summary(result: GenerateResult): string {
  const seconds = result.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(result.rows / seconds).toLocaleString('en-US') : '-';
  const lines = [
    `Generated ${result.rows.toLocaleString('en-US')} rows (${formatBytes(result.bytes)}) in ${result.options.outDir} in ${seconds.toFixed(2)} s (${rate} rows/s), seed ${result.options.seed}`,
  ];
  for (const f of result.files) {
    const dirt = Object.entries(f.dirt)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`  ${f.file.padEnd(11)} ${f.rows.toLocaleString('en-US').padStart(12)} rows ${formatBytes(f.bytes).padStart(9)}   dirt: ${dirt || 'none'}`);
  }
  const m = result.manifest;
  lines.push(`  span ${m.span.start} .. ${m.span.end}, spike ${m.spikeMonth}; counts in ${result.manifestPath}`);
  return lines.join('\n') + '\n';
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
