/**
 * Jinja2's scoping rules, decided at compile time as Jinja2's idtracking does:
 * each frame (template, loop body, macro, with, set block) maps names to
 * variables and says how each variable starts when the frame is entered
 * (resolved from the context, copied from an outer variable, a parameter, or
 * unset). That is what makes `{% set %}` in a loop body not leak out while one
 * in an `if` does, and macros see the variables of the scope they were defined in.
 */

/** A variable: one slot of one function's frame. Same level and name in one function = same variable. */
export interface Variable {
  readonly fn: FunctionScope;
  readonly slot: number;
}

/** A compiled function (template body, macro, call block, recursive loop, loop filter): owns slots. */
export class FunctionScope {
  private readonly variables = new Map<string, Variable>();
  constructor(readonly parent: FunctionScope | null) {}

  variable(level: number, name: string): Variable {
    const key = `${level}:${name}`;
    let v = this.variables.get(key);
    if (!v) {
      v = { fn: this, slot: this.variables.size };
      this.variables.set(key, v);
    }
    return v;
  }

  get size(): number {
    return this.variables.size;
  }
}

export type Load = { kind: 'param' } | { kind: 'resolve'; name: string } | { kind: 'alias'; source: Variable } | { kind: 'undefined' };

export class Symbols {
  readonly level: number;
  refs = new Map<string, Variable>();
  loads = new Map<Variable, Load>();
  stores = new Set<string>();

  constructor(
    readonly parent: Symbols | null,
    readonly fn: FunctionScope,
  ) {
    this.level = parent ? parent.level + 1 : 0;
  }

  copy(): Symbols {
    const s = Object.create(Symbols.prototype) as Symbols;
    Object.assign(s, this);
    s.refs = new Map(this.refs);
    s.loads = new Map(this.loads);
    s.stores = new Set(this.stores);
    return s;
  }

  private define(name: string, load: Load): Variable {
    const v = this.fn.variable(this.level, name);
    this.refs.set(name, v);
    this.loads.set(v, load);
    return v;
  }

  findRef(name: string): Variable | undefined {
    return this.refs.get(name) ?? this.parent?.findRef(name);
  }

  findLoad(v: Variable): Load | undefined {
    return this.loads.get(v) ?? this.parent?.findLoad(v);
  }

  ref(name: string): Variable {
    const v = this.findRef(name);
    if (!v) throw new Error(`internal: no variable for '${name}'`);
    return v;
  }

  store(name: string): void {
    this.stores.add(name);
    if (this.refs.has(name)) return;
    const outer = this.parent?.findRef(name);
    this.define(name, outer ? { kind: 'alias', source: outer } : { kind: 'undefined' });
  }

  declareParameter(name: string): Variable {
    this.stores.add(name);
    return this.define(name, { kind: 'param' });
  }

  load(name: string): void {
    if (!this.findRef(name)) this.define(name, { kind: 'resolve', name });
  }

  /** After an if: names stored in some branch start as the outer value (or the context's). */
  branchUpdate(branches: Symbols[]): void {
    const stored = new Set<string>();
    for (const b of branches) for (const name of b.stores) if (!this.stores.has(name)) stored.add(name);
    for (const b of branches) {
      for (const [k, v] of b.refs) this.refs.set(k, v);
      for (const [k, v] of b.loads) this.loads.set(k, v);
      for (const name of b.stores) this.stores.add(name);
    }
    for (const name of stored) {
      const target = this.findRef(name)!;
      const outer = this.parent?.findRef(name);
      this.loads.set(target, outer ? { kind: 'alias', source: outer } : { kind: 'resolve', name });
    }
  }
}
