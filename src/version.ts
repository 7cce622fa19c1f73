/** tspipe's version, from package.json (same relative path from src/ and dist/). */
import { readFileSync } from 'node:fs';

export const TSPIPE_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
