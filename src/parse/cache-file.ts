/**
 * JSON cache files under target/ (partial_parse.json, compile_cache.json): a missing,
 * unreadable or foreign file is an empty cache; writes are atomic, so a parallel
 * tspipe (Airflow runs many) never reads half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashText } from '../text.js';
import { TSPIPE_VERSION } from '../version.js';

interface CacheEnvelope {
  format: string;
  version: string;
}

export function readCacheFile<T extends object>(path: string, format: string): T | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheEnvelope>;
    // Another tspipe version may render differently: its cache is not ours to trust.
    return value.format === format && value.version === TSPIPE_VERSION ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

export function writeCacheFile(path: string, format: string, body: object): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ format, version: TSPIPE_VERSION, ...body }));
    renameSync(temporary, path);
  } catch {
    // A cache that cannot be written only makes the next run slower.
  }
}

/** Hash of a JSON value; key order matters, so build values in a fixed order. */
export function hashJson(value: unknown): string {
  return hashText(JSON.stringify(value));
}

/**
 * True when a JSON round trip gives the value back (no class instances, no
 * undefined in arrays); an undefined property just goes missing, which reads the same.
 */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value as object).every((v) => v === undefined || isPlainJson(v));
}
