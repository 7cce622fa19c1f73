import { describe, expect, it } from 'vitest';
import { qualifiedName, quoteIdentifier, quoteLiteral, truncateIdentifier } from '../../../src/contract/index.js';

describe('quoting', () => {
  it('always quotes identifiers and doubles the quotes inside', () => {
    expect(quoteIdentifier('Orders')).toBe('"Orders"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('x"; drop table y; --')).toBe('"x""; drop table y; --"');
    expect(qualifiedName('raw"', 'say "hi"')).toBe('"raw"""."say ""hi"""');
  });

  it('doubles single quotes in literals', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('back\\slash')).toBe("'back\\slash'");
  });

  it('refuses NUL bytes, which PostgreSQL cannot store in a name or text', () => {
    expect(() => quoteIdentifier('a\0b')).toThrow(/NUL byte/);
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL byte/);
  });

  it('keeps name + suffix within 63 bytes without splitting a character', () => {
    const suffix = '__tspipe_tmp';
    expect(truncateIdentifier('short', suffix)).toBe('short__tspipe_tmp');
    const long = truncateIdentifier('x'.repeat(80), suffix);
    expect(Buffer.byteLength(long)).toBe(63);
    expect(long.endsWith(suffix)).toBe(true);
    const accented = truncateIdentifier('é'.repeat(40), suffix);
    expect(Buffer.byteLength(accented)).toBeLessThanOrEqual(63);
    expect(accented).toBe(`${'é'.repeat(25)}${suffix}`);
  });
});
