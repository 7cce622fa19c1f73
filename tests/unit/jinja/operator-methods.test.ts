/** Host classes take part in Python's operators through their own __add__, __lt__, __eq__... */
import { describe, expect, it } from 'vitest';
import { Environment, NOT_IMPLEMENTED } from '../../../src/jinja/index.js';

class Money {
  constructor(readonly cents: number) {}
  __add__(other: unknown): unknown {
    return other instanceof Money ? new Money(this.cents + other.cents) : NOT_IMPLEMENTED;
  }
  __radd__(other: unknown): unknown {
    return typeof other === 'number' ? new Money(this.cents + other * 100) : NOT_IMPLEMENTED;
  }
  __neg__(): Money {
    return new Money(-this.cents);
  }
  __lt__(other: unknown): unknown {
    return other instanceof Money ? this.cents < other.cents : NOT_IMPLEMENTED;
  }
  __gt__(other: unknown): unknown {
    return other instanceof Money ? this.cents > other.cents : NOT_IMPLEMENTED;
  }
  __eq__(other: unknown): unknown {
    return other instanceof Money && this.cents === other.cents;
  }
  toString(): string {
    return `${this.cents}c`;
  }
}

const render = (source: string, vars: Record<string, unknown>) => new Environment().fromString(source, 'test.sql').render(vars);

describe('operator methods of host objects', () => {
  const a = new Money(150);
  const b = new Money(250);

  it('calls __add__, then the reflected __radd__ of the right operand', () => {
    expect(render('{{ a + b }}|{{ 2 + a }}', { a, b })).toBe('400c|350c');
  });

  it('uses __lt__ and, reflected, __gt__ for > ; sorts with them', () => {
    expect(render('{{ a < b }} {{ b > a }} {{ a > b }}', { a, b })).toBe('True True False');
    expect(render('{{ [b, a] | sort | join(",") }}', { a, b })).toBe('150c,250c');
  });

  it('compares with __eq__ (== and in), not identity', () => {
    expect(render('{{ a == other }} {{ a != b }} {{ other in [b, a] }}', { a, b, other: new Money(150) })).toBe('True True True');
  });

  it('negates with __neg__', () => {
    expect(render('{{ -a }}', { a })).toBe('-150c');
  });

  it("raises Python's TypeError when neither operand takes the other", () => {
    expect(() => render('{{ a - b }}', { a, b })).toThrow("unsupported operand type(s) for -: 'Money' and 'Money'");
    expect(() => render('{{ a < 3 }}', { a })).toThrow("'<' not supported between instances of 'Money' and 'int'");
  });

  it('leaves dicts alone even when a key looks like an operator method', () => {
    expect(() => render('{{ d + d }}', { d: { __add__: 1 } })).toThrow("unsupported operand type(s) for +: 'dict' and 'dict'");
  });
});
