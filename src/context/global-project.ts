/**
 * Where tspipe's global project (the `dbt` macro namespace) lives: next to this
 * module in src/, or next to the bundle in dist/ (scripts/build.mjs copies it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TspipeError } from '../errors.js';

export interface GlobalMacroFile {
  /** As shown in errors. */
  file: string;
  source: string;
}

export function globalProjectDir(): string {
  const dir = fileURLToPath(new URL('./global-project/', import.meta.url));
  if (!existsSync(join(dir, 'dbt_project.yml'))) {
    throw new TspipeError('the global project macros are missing', { hint: `expected them in ${dir}; rebuild tspipe (npm run build) or reinstall it` });
  }
  return dir;
}

let cached: GlobalMacroFile[] | undefined;

export function globalMacroFiles(): GlobalMacroFile[] {
  if (!cached) {
    const macros = join(globalProjectDir(), 'macros');
    cached = readdirSync(macros)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => ({ file: `(tspipe global project)/macros/${f}`, source: readFileSync(join(macros, f), 'utf8') }));
  }
  return cached;
}
