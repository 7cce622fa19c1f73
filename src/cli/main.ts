/**
 * The tspipe command line. Each command lives in commands/<verb>.ts and calls api/;
 * this file only wires them and turns errors into messages and exit codes:
 * 0 success, 1 a node failed, 2 a usage or project error, 3 an internal error.
 */
import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import pc from 'picocolors';
import { INTERNAL_ERROR_EXIT_CODE, InternalError, TspipeError, formatError } from '../errors.js';
import { TSPIPE_VERSION } from '../version.js';
import airflowCommand from './commands/airflow.js';
import compileCommand from './commands/compile.js';
import debugCommand from './commands/debug.js';
import depsCommand from './commands/deps.js';
import docsCommand from './commands/docs.js';
import generateCommand from './commands/generate.js';
import lsCommand from './commands/ls.js';
import parseCommand from './commands/parse.js';
import retryCommand from './commands/retry.js';
import runOperationCommand from './commands/run-operation.js';
import showCommand from './commands/show.js';
import { runCommandModule } from './commands/run.js';
import sourceCommand from './commands/source.js';
import testCommand from './commands/test.js';
import { unknownCommandMessage, usageMessage } from './usage-hints.js';

const COMMANDS = [
  runCommandModule('run'),
  runCommandModule('seed'),
  runCommandModule('snapshot'),
  runCommandModule('build'),
  testCommand,
  sourceCommand,
  retryCommand,
  parseCommand,
  compileCommand,
  lsCommand,
  showCommand,
  runOperationCommand,
  debugCommand,
  depsCommand,
  generateCommand,
  docsCommand,
  airflowCommand,
];

/** Every command name and alias ("docs generate" → docs). */
const COMMAND_NAMES = COMMANDS.flatMap((c) => (Array.isArray(c.command) ? c.command : [c.command])).map((c) => String(c).split(' ')[0]!);

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const unknownCommand = unknownCommandMessage(argv, COMMAND_NAMES);
  if (unknownCommand) {
    console.error(`${unknownCommand}\n\nRun tspipe --help for usage.`);
    return 2;
  }
  try {
    await yargs(argv)
      .scriptName('tspipe')
      .usage(
        'tspipe <command> [options]\n\nA dbt-style SQL model compiler and runner for PostgreSQL.\nWith no target configured it runs on an embedded PostgreSQL (PGlite) under .tspipe/.',
      )
      .command(COMMANDS as CommandModule[])
      .option('debug', { type: 'boolean', describe: 'Show stack traces of unexpected errors', global: true })
      .demandCommand(1, 'Name a command: tspipe run, tspipe build, ... (see tspipe --help)')
      .strict()
      .recommendCommands()
      .version(TSPIPE_VERSION)
      .help()
      .alias('h', 'help')
      // yargs lays out the help text after every command (~35 ms of each start-up);
      // without wrapping that layout is nearly free.
      .wrap(wantsHelp(argv) ? Math.min(110, process.stdout.columns || 100) : null)
      .epilogue('Exit codes: 0 success, 1 a model, seed or test failed, 2 usage or project error, 3 internal error (a bug in tspipe).')
      .fail((message, error) => {
        // yargs' own checks and errors thrown by coerce functions (--vars, --threads) come
        // as a YError holding only the message: usage errors. Anything else goes to the catch.
        if (error && error.name !== 'YError') throw error;
        const text = usageMessage(message ?? error?.message ?? '', argv, optionNames(argv));
        console.error(`${text}\n\nRun tspipe --help for usage.`);
        throw new ExitRequest(2);
      })
      .parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof ExitRequest) return error.code;
    if (error instanceof TspipeError && !(error instanceof InternalError)) {
      console.error(pc.red(formatError(error)));
      if (debug && error.stack) console.error(error.stack);
      return error.exitCode;
    }
    // Anything else is a bug: its own exit code, so no one takes it for a failed node (1).
    console.error(pc.red(`internal error: ${(error as Error)?.message ?? String(error)}`));
    if (debug) console.error((error as Error)?.stack);
    else console.error('run again with --debug for the stack trace, and please report it');
    return INTERNAL_ERROR_EXIT_CODE;
  }
}

/** The options the command in argv accepts, from its builder (yargs keeps them; its types do not say so). */
function optionNames(argv: string[]): string[] {
  const command = COMMANDS.find((c) => (Array.isArray(c.command) ? c.command : [c.command]).some((name) => String(name).split(' ')[0] === argv[0]));
  const parser = yargs([]).option('debug', { type: 'boolean' });
  const built = typeof command?.builder === 'function' ? ((command.builder as (y: Argv) => unknown)(parser) ?? parser) : parser;
  const options = (built as { getOptions?: () => { key?: Record<string, unknown> } }).getOptions?.();
  return Object.keys(options?.key ?? {});
}

function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h') || argv.length === 0;
}

class ExitRequest extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function argsFromProcess(): string[] {
  return hideBin(process.argv);
}
