#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('tspipe is not built yet: run `npm install` (or `npm run build`) in the tspipe folder first.');
  process.exit(2);
}
const { main, argsFromProcess } = await import(entry.href);
process.exitCode = await main(argsFromProcess());
