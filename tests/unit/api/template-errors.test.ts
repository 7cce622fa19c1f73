import { describe, expect, it } from 'vitest';
import { compileProject } from '../../../src/api/compile.js';
import { loadProject } from '../../../src/api/load-project.js';
import { ProjectErrors, type TspipeError } from '../../../src/errors.js';
import { writeTempProject } from '../../support/temp-project.js';

async function failure(run: () => unknown): Promise<TspipeError[]> {
  try {
    await run();
  } catch (error) {
    return error instanceof ProjectErrors ? error.errors : [error as TspipeError];
  }
  throw new Error('expected a failure');
}

describe('template errors speak Jinja', () => {
  it('names an unclosed tag, the line that opened it and the tag that closes it; a broken model is reported once', async () => {
    const dir = writeTempProject({
      'models/x.sql': 'select 1 as a\n{% if true %}\n, 2 as b\n{% for c in [1] %}{% endfor %}\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: x\n    columns:\n      - name: a\n        tests: [not_null]\n',
    });
    const errors = await failure(() => loadProject({ projectDir: dir }, {}));
    expect(errors.map((e) => [e.where, e.message])).toEqual([['models/x.sql:2', "Unclosed 'if' tag opened at models/x.sql:2; expected 'endif'"]]);
    expect(errors[0]!.hint).toContain('{% endif %}');
  });

  it('gives a misspelt end tag a did-you-mean among the tags the block expects', async () => {
    const dir = writeTempProject({ 'models/x.sql': 'select 1\n{% if true %}, 2\n{% endfi %}\n' });
    const [error] = await failure(() => loadProject({ projectDir: dir }, {}));
    expect(error!.where).toBe('models/x.sql:3');
    expect(error!.message).toBe("Unknown tag 'endfi'; expected 'elif' or 'else' or 'endif'");
    expect(error!.hint).toBe('did you mean "endif"?');
  });

  it('suggests the closest macro name for an undefined macro, called bare or through its package', async () => {
    const macros = { 'macros/cents.sql': '{% macro to_cents(x) %}({{ x }} * 100){% endmacro %}' };
    const bare = writeTempProject({ ...macros, 'models/a.sql': 'select {{ to_cent(1) }} as c' });
    const [error] = await failure(() => compileProject({ projectDir: bare }, {}));
    expect([error!.where, error!.message, error!.hint]).toEqual(['models/a.sql:1', "'to_cent' is undefined", 'did you mean "to_cents"?']);
    const qualified = writeTempProject({ ...macros, 'models/a.sql': 'select {{ test_project.to_cent(1) }} as c' });
    const [viaPackage] = await failure(() => compileProject({ projectDir: qualified }, {}));
    expect(viaPackage!.hint).toBe('did you mean "to_cents"?');
  });
});
