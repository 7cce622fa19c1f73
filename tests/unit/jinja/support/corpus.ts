/**
 * The differential corpus: tests/unit/jinja/corpus/*.jinja-cases. A case starts
 * with `## case: name`, may give `## context: {json}`, `## options: {json}`,
 * `## error: PythonErrorType` (both engines must raise it) and
 * `## trailing-newlines: n` (the template text ends with n newlines; by default
 * trailing newlines are dropped so cases can be separated by blank lines). The
 * template is every line up to the next `## case:`.
 * Context values {"$tuple": [...]}, {"$set": [...]}, {"$float": n} are the Python
 * values JSON cannot spell.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PyFloat, tuple } from '../../../../src/jinja/index.js';

export interface CorpusCase {
  id: string;
  file: string;
  line: number;
  template: string;
  context: unknown;
  options: { trimBlocks?: boolean; lstripBlocks?: boolean; keepTrailingNewline?: boolean; undefined?: 'chainable'; macroTags?: boolean };
  error?: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = join(HERE, '..', 'corpus');

export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jinja-cases'))
    .sort()) {
    cases.push(...parseCases(readFileSync(join(dir, file), 'utf8'), file));
  }
  return cases;
}

export function parseCases(text: string, file: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  let current: (CorpusCase & { lines: string[]; trailing: number }) | null = null;
  const finish = () => {
    if (!current) return;
    const { lines, trailing, ...rest } = current;
    cases.push({ ...rest, template: lines.join('\n').replace(/\n+$/, '') + '\n'.repeat(trailing) });
  };
  text.split('\n').forEach((line, i) => {
    const directive = /^## (case|context|options|error|trailing-newlines): ?(.*)$/.exec(line);
    if (directive?.[1] === 'case') {
      finish();
      current = { id: `${file}: ${directive[2]}`, file, line: i + 1, template: '', context: {}, options: {}, lines: [], trailing: 0 };
    } else if (current && directive && current.lines.length === 0) {
      const value = directive[2]!;
      if (directive[1] === 'context') current.context = JSON.parse(value);
      else if (directive[1] === 'options') current.options = JSON.parse(value);
      else if (directive[1] === 'error') current.error = value.trim();
      else current.trailing = Number(value);
    } else if (current) {
      current.lines.push(line);
    }
  });
  finish();
  return cases;
}

/** The JSON context as the engine's values (tuples, sets, integral floats). */
export function decodeContext(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeContext);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$tuple') return tuple((o.$tuple as unknown[]).map(decodeContext));
    if (keys.length === 1 && keys[0] === '$set') return new Set((o.$set as unknown[]).map(decodeContext));
    if (keys.length === 1 && keys[0] === '$float') {
      const n = o.$float as number;
      return Number.isInteger(n) ? new PyFloat(n) : n;
    }
    return Object.fromEntries(keys.map((k) => [k, decodeContext(o[k])]));
  }
  return v;
}
