/**
 * Differential test: every corpus case is rendered by this engine and by real
 * Jinja2 3.1.x in a SandboxedEnvironment with the do and loopcontrols extensions
 * (dbt's configuration). Outputs must be byte-equal, or both must fail with the
 * same kind of error (the Python exception class).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DBT_MACRO_TAGS, Environment, TemplateRuntimeError, TemplateSyntaxError } from '../../../src/jinja/index.js';
import { decodeContext, loadCorpus, type CorpusCase } from './support/corpus.js';
import { jinja2, renderWithJinja2, type Jinja2Result } from './support/jinja2.js';

const cases = loadCorpus();

function renderHere(c: CorpusCase): Jinja2Result {
  try {
    const { macroTags, ...options } = c.options;
    const env = new Environment({ ...options, macroTags: macroTags ? DBT_MACRO_TAGS : undefined });
    return { output: env.fromString(c.template, 'case.sql').render(decodeContext(c.context) as object) };
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return { error: { type: 'TemplateSyntaxError', message: e.message } };
    if (e instanceof TemplateRuntimeError) return { error: { type: e.pyType, message: e.message } };
    throw e;
  }
}

describe.skipIf(!jinja2.available)(`differential against Jinja2${jinja2.available ? '' : ` (skipped: ${jinja2.skipReason})`}`, () => {
  let expected: Jinja2Result[] = [];
  beforeAll(() => {
    expected = renderWithJinja2(cases);
  });

  it('has a corpus', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(cases.map((c, i) => [c.id, i] as const))('%s', (_id, i) => {
    const c = cases[i]!;
    const theirs = expected[i]!;
    if (c.error) expect(theirs, `Jinja2 should raise ${c.error} (${c.file}:${c.line})`).toMatchObject({ error: { type: c.error } });
    const ours = renderHere(c);
    if ('output' in theirs) expect(ours, `${c.file}:${c.line}`).toEqual(theirs);
    else expect(ours, `${c.file}:${c.line}: ${theirs.error.message}`).toMatchObject({ error: { type: theirs.error.type } });
  });
});
