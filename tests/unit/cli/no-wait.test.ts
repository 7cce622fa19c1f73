/**
 * --no-wait is a shared option of every command that writes or reads under locks
 * (run, seed, build, test, retry). The use cases are replaced by recorders: what is
 * tested is the command line reaching them (yargs reads --no-X as X=false, which once
 * failed --strict as an unknown `wait`).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const seen = vi.hoisted(() => ({ options: [] as { noWait?: boolean }[] }));
const outcome = { exitCode: 0, plan: { nodes: [], threads: 1 }, results: [], project: { config: { projectDir: '.', targetPath: 'target' } } };
vi.mock('../../../src/api/run-nodes.js', () => ({
  runNodes: (_command: string, options: { noWait?: boolean }) => {
    seen.options.push(options);
    return outcome;
  },
}));
vi.mock('../../../src/api/test.js', () => ({
  runTests: (options: { noWait?: boolean }) => {
    seen.options.push(options);
    return outcome;
  },
}));
vi.mock('../../../src/api/retry.js', () => ({
  retryLastRun: (options: { noWait?: boolean }) => {
    seen.options.push(options);
    return outcome;
  },
}));
const { main } = await import('../../../src/cli/main.js');

describe('--no-wait', () => {
  const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {}); // build's dashboard hint
  afterEach(() => {
    seen.options.length = 0;
    stderr.mockClear();
  });

  for (const command of ['run', 'seed', 'build', 'test', 'retry']) {
    it(`reaches ${command} as noWait (default: wait)`, async () => {
      expect(await main([command, '--no-wait']), stderr.mock.calls.join('\n')).toBe(0);
      expect(await main([command])).toBe(0);
      expect(seen.options.map((o) => o.noWait)).toEqual([true, false]);
    });
  }
});
