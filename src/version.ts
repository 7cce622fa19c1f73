/**
 * tspipe's version, from package.json: one folder up from src/, and from dist/ where
 * the bundle keeps all its files (scripts/build.mjs).
 */
import { readFileSync } from 'node:fs';

export const TSPIPE_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
