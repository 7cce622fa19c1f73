import { describe, expect, it } from 'vitest';
import { JsonReporter } from '../../../src/cli/json-reporter.js';
import type { Reporter } from '../../../src/execute/reporter.js';

describe('--log-format json', () => {
  it('writes every event with snake_case keys only, as dbt structured logs', () => {
    const lines: string[] = [];
    const reporter: Reporter = new JsonReporter((line) => lines.push(line));
    const node = { uniqueId: 'model.p.a', relation: 'public.a' } as never;
    reporter.runStarted({ command: 'build', total: 1, threads: 1, target: 'dev', database: 'pglite' });
    reporter.nodeStarted({ index: 1, total: 1, node });
    reporter.nodeRetrying({ node, attempt: 2, delayMs: 100, error: 'connection reset' });
    reporter.nodeFinished({
      index: 1,
      total: 1,
      node,
      result: {
        uniqueId: 'model.p.a',
        status: 'success',
        rowsAffected: 3,
        startedAt: 'x',
        completedAt: 'y',
        executionTime: 0.5,
        attempts: 2,
        compiledPath: 'target/compiled/a.sql',
      },
    });
    reporter.warn('careful');
    reporter.runFinished({ command: 'build', results: [], elapsedSeconds: 1 });
    const keys = lines.flatMap((line) => Object.keys(JSON.parse(line) as object));
    expect(keys.filter((key) => !/^[a-z0-9_]+$/.test(key))).toEqual([]);
    expect(JSON.parse(lines[3]!)).toMatchObject({
      event: 'node_finished',
      unique_id: 'model.p.a',
      rows_affected: 3,
      execution_time: 0.5,
      compiled_path: 'target/compiled/a.sql',
    });
  });
});
