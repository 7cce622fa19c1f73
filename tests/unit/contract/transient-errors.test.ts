// Classifies error objects shaped like pg's and Node's; the real drivers' errors are
// checked in tests/integration/adapter.test.ts (a terminated backend on both databases).
import { describe, expect, it } from 'vitest';
import { isTransientError } from '../../../src/contract/index.js';
import { DatabaseError } from '../../../src/errors.js';

describe('isTransientError', () => {
  it('retries serialization failures, deadlocks, shutdowns and lost connections', () => {
    for (const code of ['40001', '40P01', '57P01', '57P02', '57P03', '08006', '08003', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
      expect(isTransientError(Object.assign(new Error('x'), { code })), code).toBe(true);
    }
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('does not retry errors that would fail again', () => {
    for (const code of ['42P01', '23505', '22P02', '42601', 'ENOENT']) {
      expect(isTransientError(Object.assign(new Error('x'), { code })), code).toBe(false);
    }
    expect(isTransientError(new Error('relation "x" does not exist'))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
    expect(isTransientError('ECONNRESET')).toBe(false);
  });

  it('looks through the cause chain of wrapped errors', () => {
    const driver = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(isTransientError(new DatabaseError('wrapped', { cause: driver }))).toBe(true);
  });
});
