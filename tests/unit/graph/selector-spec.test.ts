import { describe, expect, it } from 'vitest';
import { parseCriteria, parseSelectors } from '../../../src/graph/index.js';

describe('parseCriteria', () => {
  it('reads operators and depths', () => {
    expect(parseCriteria('2+tag:daily+1')).toEqual({
      raw: '2+tag:daily+1',
      method: 'tag',
      args: [],
      value: 'daily',
      childrensParents: false,
      parents: true,
      parentsDepth: 2,
      children: true,
      childrenDepth: 1,
    });
    expect(parseCriteria('+name+')).toMatchObject({ parents: true, parentsDepth: undefined, children: true, childrenDepth: undefined });
    expect(parseCriteria('@name')).toMatchObject({ childrensParents: true, parents: false, children: false, value: 'name' });
  });

  it('reads method arguments', () => {
    expect(parseCriteria('config.materialized:table')).toMatchObject({ method: 'config', args: ['materialized'], value: 'table' });
  });

  it('picks the default method like dbt', () => {
    expect(parseCriteria('models/kpi').method).toBe('path');
    expect(parseCriteria('kpi_user.sql').method).toBe('file');
    expect(parseCriteria('users.csv').method).toBe('file');
    expect(parseCriteria('clean.kpi_user').method).toBe('fqn');
    expect(parseCriteria('stg_*').method).toBe('fqn');
  });

  it('keeps a value with a plus inside', () => {
    expect(parseCriteria('a+b')).toMatchObject({ value: 'a+b', children: false });
  });
});

describe('parseSelectors', () => {
  it('splits words into a union of intersections', () => {
    const spec = parseSelectors(['a b,tag:x', 'c']);
    expect(spec).toMatchObject({
      kind: 'union',
      components: [
        { kind: 'intersection', raw: 'a', components: [{ kind: 'criteria' }] },
        { kind: 'intersection', raw: 'b,tag:x', components: [{ kind: 'criteria' }, { kind: 'criteria' }] },
        { kind: 'intersection', raw: 'c' },
      ],
    });
  });

  it('treats no words as no selector', () => {
    expect(parseSelectors(undefined)).toBeUndefined();
    expect(parseSelectors([])).toBeUndefined();
    expect(parseSelectors(['  '])).toBeUndefined();
  });
});
