/**
 * main() turns errors into exit codes. A bug cannot be provoked through real input,
 * so the compile use case is replaced by one that fails the way each case needs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InternalError, ProjectError } from '../../../src/errors.js';

const failure = vi.hoisted(() => ({ error: undefined as unknown }));
vi.mock('../../../src/api/compile.js', () => ({
  compileProject: () => {
    throw failure.error;
  },
}));
const { main } = await import('../../../src/cli/main.js');

describe('main exit codes', () => {
  const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
  afterEach(() => stderr.mockClear());
  const printed = () => stderr.mock.calls.map((call) => String(call[0])).join('\n');

  it('exits 3 for an error that is not a TspipeError: a bug, not a failed node (1)', async () => {
    failure.error = new TypeError("Cannot read properties of undefined (reading 'schema')");
    expect(await main(['compile'])).toBe(3);
    expect(printed()).toContain("internal error: Cannot read properties of undefined (reading 'schema')");
    expect(printed()).toContain('please report it');
  });

  it('exits 3 for an InternalError, reported as one', async () => {
    failure.error = new InternalError('the run cannot go on');
    expect(await main(['compile'])).toBe(3);
    expect(printed()).toContain('internal error: the run cannot go on');
  });

  it('exits 2 for a project error, with its place and hint', async () => {
    failure.error = new ProjectError('unknown ref', { file: 'models/a.sql', line: 3, hint: 'check the name' });
    expect(await main(['compile'])).toBe(2);
    expect(printed()).toContain('models/a.sql:3: unknown ref');
  });
});
