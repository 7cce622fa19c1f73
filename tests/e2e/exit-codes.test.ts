/**
 * Exit codes the real binary gives: 2 for a bad flag, 3 for a bug (an internal error),
 * never 1, which says a model, seed or test failed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-exit-codes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tspipe exit codes', () => {
  it('documents them in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('3 internal error (a bug in tspipe)');
  });

  it('exits 2 for --threads 0, which used to start nothing and wait forever', async () => {
    writeFileSync(path.join(dir, 'project.yml'), 'name: p\n');
    const result = await runCli(['run', '--project-dir', dir, '--threads', '0'], { timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--threads: 0 is not a whole number from 1 to 64');
    expect(result.stderr).not.toContain('internal error');
  });

  it('exits 2, not as an internal error, for --vars that are not a mapping', async () => {
    const result = await runCli(['compile', '--project-dir', dir, '--vars', '[1, 2]']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--vars: cannot read "[1, 2]" as a mapping');
    expect(result.stderr).not.toContain('internal error');
  });

  it('exits 3 when an exception escapes every handler (a bug), not 1', async () => {
    // A bug cannot be provoked on purpose through real input: a preloaded module throws
    // from a timer, outside anything tspipe awaits, as a stray callback would. It waits
    // (up to 2 s) for bin/tspipe.js to install its handler, so the throw is not too early.
    const preload = path.join(dir, 'throw-later.mjs');
    writeFileSync(
      preload,
      [
        'let polls = 0;',
        'const timer = setInterval(() => {',
        "  if (process.listenerCount('uncaughtException') === 0 && ++polls < 400) return;",
        '  clearInterval(timer);',
        "  throw new TypeError('stray callback');",
        '}, 5);',
      ].join('\n'),
    );
    const result = await runCli(['--version'], { env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` }, timeoutMs: 30_000 });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('internal error: stray callback');
    expect(result.stderr).toContain('please report it');
  });
});
