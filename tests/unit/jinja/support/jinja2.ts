/**
 * Real Jinja2 (Python) from the venv scripts/setup-jinja2.sh makes, or
 * TSPIPE_JINJA2_VENV. When there is none the differential tests are skipped with
 * the reason; TSPIPE_REQUIRE_JINJA2=1 (CI) turns that into a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusCase } from './corpus.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '../../../..');
const VENV = process.env.TSPIPE_JINJA2_VENV || join(REPO_ROOT, 'tests', '.jinja2-venv');
const PYTHON = join(VENV, 'bin', 'python');
const ORACLE = join(HERE, '..', 'jinja2_oracle.py');

function detect(): { available: boolean; skipReason: string } {
  if (existsSync(PYTHON)) return { available: true, skipReason: '' };
  const skipReason = `no Jinja2 venv at ${VENV}: run scripts/setup-jinja2.sh`;
  if (process.env.TSPIPE_REQUIRE_JINJA2 === '1') throw new Error(`TSPIPE_REQUIRE_JINJA2=1 but ${skipReason}`);
  return { available: false, skipReason };
}

export const jinja2 = detect();

export type Jinja2Result = { output: string } | { error: { type: string; message: string } };

/** Renders every case in one Python process. */
export function renderWithJinja2(cases: CorpusCase[]): Jinja2Result[] {
  const input = JSON.stringify(cases.map((c) => ({ template: c.template, context: c.context, options: c.options })));
  const out = execFileSync(PYTHON, [ORACLE], { input, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString()) as Jinja2Result[];
}
