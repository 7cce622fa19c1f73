#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';

// A throw that escapes main() (a stray callback or promise) is a bug like those main()
// catches: exit 3 (INTERNAL_ERROR_EXIT_CODE, src/errors.ts), not Node's 1 ("a node failed").
process.on('uncaughtException', (error) => {
  console.error(`internal error: ${error?.message ?? error}`);
  console.error(process.argv.includes('--debug') ? error?.stack : 'run again with --debug for the stack trace, and please report it');
  process.exit(3);
});

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('tspipe is not built yet: run `npm install` (or `npm run build`) in the tspipe folder first.');
  process.exit(2);
}
// Stack traces through the source maps point at src/; reading the maps costs start-up
// time, so only when the user asks for stack traces.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main, argsFromProcess } = await import(entry.href);
process.exitCode = await main(argsFromProcess());
