#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';

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
