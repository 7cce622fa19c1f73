import { describe, expect, it } from 'vitest';
import { globMatch, globTester, hasWildcard } from '../../../src/graph/glob.js';

const pathGlobMatch = (path: string, pattern: string) => globTester(pattern, true)(path);

describe('glob', () => {
  it('matches like fnmatch', () => {
    expect(globMatch('stg_users', 'stg_*')).toBe(true);
    expect(globMatch('a.b.c', 'a.*')).toBe(true); // * crosses dots
    expect(globMatch('kpi_user', 'kpi_?ser')).toBe(true);
    expect(globMatch('ax', '[ab]x')).toBe(true);
    expect(globMatch('ax', '[!ab]x')).toBe(false);
    expect(globMatch('cx', '[!ab]x')).toBe(true);
    expect(globMatch('aXb', 'a.b')).toBe(false); // dots are literal
    expect(globMatch('[x', '[x')).toBe(true); // unclosed bracket is literal
    expect(globMatch('Daily', 'daily')).toBe(false); // case-sensitive
  });

  it('keeps * inside one folder in path mode, ** crosses', () => {
    expect(pathGlobMatch('models/kpi/a.sql', 'models/*/a.sql')).toBe(true);
    expect(pathGlobMatch('models/kpi/m/a.sql', 'models/*/a.sql')).toBe(false);
    expect(pathGlobMatch('models/kpi/m/a.sql', 'models/**/a.sql')).toBe(true);
    expect(pathGlobMatch('models/a.sql', 'models/**/a.sql')).toBe(true);
  });

  it('compares literally when there is no wildcard', () => {
    expect(globTester('a.b')('a.b')).toBe(true);
    expect(globTester('a.b')('aXb')).toBe(false);
  });

  it('detects wildcards', () => {
    expect(hasWildcard('stg_*')).toBe(true);
    expect(hasWildcard('clean.users')).toBe(false);
  });
});
