/** Expressions → closures over the runtime frame (`(f) => value`), Python semantics throughout. */
import { getAttr, getItem, getSlice } from '../runtime/attribute.js';
import { MISSING, UNRESOLVED } from '../runtime/frame.js';
import type { CompareOperator, Expr } from '../syntax/ast.js';
import { add, divide, floorDivide, modulo, multiply, negate, positive, power, subtract } from '../values/arithmetic.js';
import { pyCompare, pyEquals, pyTruthy } from '../values/compare.js';
import { pyContains } from '../values/contains.js';
import { dictKey } from '../values/dict-key.js';
import { dictSet, tuple } from '../values/py-types.js';
import { pyStr } from '../values/repr.js';
import { Undefined } from '../values/undefined.js';
import { compileCall, compileFilter, compileTest } from './calls.js';
import type { CFrame, CompileContext, Ev } from './context.js';
import { readName, softFrame } from './context.js';

const BINARY = { '+': add, '-': subtract, '*': multiply, '/': divide, '//': floorDivide, '%': modulo, '**': power };

export function compileExpr(c: CompileContext, node: Expr, frame: CFrame): Ev {
  switch (node.kind) {
    case 'const': {
      const value = node.value;
      return () => value;
    }
    case 'name':
      return compileName(c, node.name, frame);
    case 'tuple': {
      const items = node.items.map((n) => compileExpr(c, n, frame));
      return (f) => tuple(items.map((item) => item(f)));
    }
    case 'list': {
      const items = node.items.map((n) => compileExpr(c, n, frame));
      return (f) => items.map((item) => item(f));
    }
    case 'dict': {
      const items = node.items.map((i) => [compileExpr(c, i.key, frame), compileExpr(c, i.value, frame)] as const);
      return (f) => {
        const d: Record<string, unknown> = {};
        for (const [k, v] of items) dictSet(d, dictKey(k(f)), v(f));
        return d;
      };
    }
    case 'condexpr':
      return compileCondExpr(c, node, softFrame(frame));
    case 'binop': {
      const op = BINARY[node.op];
      const left = compileExpr(c, node.left, frame);
      const right = compileExpr(c, node.right, frame);
      return (f) => op(left(f), right(f));
    }
    case 'and': {
      const left = compileExpr(c, node.left, frame);
      const right = compileExpr(c, node.right, frame);
      return (f) => {
        const l = left(f);
        return pyTruthy(l) ? right(f) : l;
      };
    }
    case 'or': {
      const left = compileExpr(c, node.left, frame);
      const right = compileExpr(c, node.right, frame);
      return (f) => {
        const l = left(f);
        return pyTruthy(l) ? l : right(f);
      };
    }
    case 'not': {
      const inner = compileExpr(c, node.node, frame);
      return (f) => !pyTruthy(inner(f));
    }
    case 'neg': {
      const inner = compileExpr(c, node.node, frame);
      return (f) => negate(inner(f));
    }
    case 'pos': {
      const inner = compileExpr(c, node.node, frame);
      return (f) => positive(inner(f));
    }
    case 'concat': {
      const parts = node.nodes.map((n) => compileExpr(c, n, frame));
      return (f) => parts.reduce<string>((s, part) => s + pyStr(part(f)), '');
    }
    case 'compare':
      return compileCompare(c, node.expr, node.ops, frame);
    case 'getattr': {
      const obj = compileExpr(c, node.node, frame);
      const attr = node.attr;
      const env = c.env;
      return (f) => getAttr(env, obj(f), attr);
    }
    case 'getitem':
      return compileGetitem(c, node, frame);
    case 'call':
      return compileCall(c, node, frame);
    case 'filter':
      return compileFilter(c, node, frame, null);
    case 'test':
      return compileTest(c, node, frame);
    case 'slice':
    case 'nsref':
      throw new Error(`internal: ${node.kind} outside its context`);
  }
}

function compileName(c: CompileContext, name: string, frame: CFrame): Ev {
  const v = frame.symbols.ref(name);
  const env = c.env;
  if (v.fn === frame.fn) {
    const slot = v.slot;
    return (f) => {
      let x = f.slots[slot];
      if (x === UNRESOLVED) x = f.slots[slot] = f.ctx.resolve(name);
      return x === MISSING ? env.undefined(name) : x;
    };
  }
  const read = readName(v, frame.fn, name);
  return (f) => {
    const x = read(f);
    return x === MISSING ? env.undefined(name) : x;
  };
}

function compileCondExpr(c: CompileContext, node: Expr & { kind: 'condexpr' }, frame: CFrame): Ev {
  const test = compileExpr(c, node.test, frame);
  const expr1 = compileExpr(c, node.expr1, frame);
  if (node.expr2) {
    const expr2 = compileExpr(c, node.expr2, frame);
    return (f) => (pyTruthy(test(f)) ? expr1(f) : expr2(f));
  }
  const hint = `the inline if-expression on line ${node.line} in '${c.fileName}' evaluated to false and no else section was defined.`;
  return (f) => (pyTruthy(test(f)) ? expr1(f) : new Undefined(undefined, hint));
}

function compareOp(op: CompareOperator): (a: unknown, b: unknown) => boolean {
  switch (op) {
    case 'eq':
      return pyEquals;
    case 'ne':
      return (a, b) => !pyEquals(a, b);
    case 'in':
      return pyContains;
    case 'notin':
      return (a, b) => !pyContains(a, b);
    default:
      return (a, b) => pyCompare(op, a, b);
  }
}

function compileCompare(c: CompileContext, expr: Expr, ops: { op: CompareOperator; expr: Expr }[], frame: CFrame): Ev {
  const first = compileExpr(c, expr, frame);
  const steps = ops.map((o) => ({ test: compareOp(o.op), right: compileExpr(c, o.expr, frame) }));
  if (steps.length === 1) {
    const { test, right } = steps[0]!;
    return (f) => test(first(f), right(f));
  }
  return (f) => {
    let left = first(f);
    for (const step of steps) {
      const right = step.right(f);
      if (!step.test(left, right)) return false;
      left = right;
    }
    return true;
  };
}

function compileGetitem(c: CompileContext, node: Expr & { kind: 'getitem' }, frame: CFrame): Ev {
  const obj = compileExpr(c, node.node, frame);
  const env = c.env;
  if (node.arg.kind === 'slice') {
    const part = (e: Expr | null) => (e ? compileExpr(c, e, frame) : () => null);
    const start = part(node.arg.start);
    const stop = part(node.arg.stop);
    const step = part(node.arg.step);
    return (f) => getSlice(obj(f), start(f), stop(f), step(f));
  }
  const key = compileExpr(c, node.arg, frame);
  return (f) => getItem(env, obj(f), key(f));
}
