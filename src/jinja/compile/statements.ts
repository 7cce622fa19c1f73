/**
 * Statements → closures that append to the frame's output: output, if, set,
 * set blocks, filter blocks, with, do, break/continue; loops and macros live in
 * their own files. Each expression a statement evaluates is located at its line.
 */
import type { Frame } from '../runtime/frame.js';
import type { Expr, Stmt } from '../syntax/ast.js';
import { pyTruthy } from '../values/compare.js';
import { pyStr } from '../values/repr.js';
import { analyzeBody, analyzeWith } from './analyze.js';
import { compileAssign, compileNamespaceChecks } from './assign.js';
import { compileFilter } from './calls.js';
import { BREAK, CONTINUE, enterFrame, innerFrame, located, softFrame, temporary, type CFrame, type CompileContext, type Ev, type Ex } from './context.js';
import { compileExpr } from './expressions.js';
import { compileFor } from './loops.js';
import { compileCallBlock, compileMacroStatement } from './macros.js';

export function compileBody(c: CompileContext, body: Stmt[], frame: CFrame): Ex {
  const stmts = body.map((s) => compileStmt(c, s, frame));
  if (stmts.length === 0) return () => 0;
  if (stmts.length === 1) return stmts[0]!;
  return (f) => {
    for (const stmt of stmts) {
      const signal = stmt(f);
      if (signal) return signal;
    }
    return 0;
  };
}

/** An expression evaluated for a statement: compiled in `frame`, errors located at `line`. */
export function statementExpr(c: CompileContext, node: Expr, frame: CFrame, line = node.line): Ev {
  return located(c, compileExpr(c, node, frame), line);
}

function compileStmt(c: CompileContext, node: Stmt, frame: CFrame): Ex {
  switch (node.kind) {
    case 'output':
      return compileOutput(c, node, frame);
    case 'if':
      return compileIf(c, node, softFrame(frame));
    case 'for':
      return compileFor(c, node, frame);
    case 'macro':
      return compileMacroStatement(c, node, frame);
    case 'callblock':
      return compileCallBlock(c, node, frame);
    case 'assign':
      return compileAssignStatement(c, node, frame);
    case 'assignblock':
      return compileAssignBlock(c, node, frame);
    case 'filterblock':
      return compileFilterBlock(c, node, frame);
    case 'with':
      return compileWith(c, node, frame);
    case 'exprstmt': {
      const ev = statementExpr(c, node.node, frame);
      return (f) => {
        ev(f);
        return 0;
      };
    }
    case 'break':
      return () => BREAK;
    case 'continue':
      return () => CONTINUE;
  }
}

function compileOutput(c: CompileContext, node: Stmt & { kind: 'output' }, frame: CFrame): Ex {
  const parts: (string | Ev)[] = [];
  for (const child of node.nodes) {
    if (child.kind === 'data') {
      const last = parts[parts.length - 1];
      if (typeof last === 'string') parts[parts.length - 1] = last + child.data;
      else parts.push(child.data);
    } else {
      parts.push(statementExpr(c, child, frame));
    }
  }
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const text = parts[0];
    return (f) => {
      f.out += text;
      return 0;
    };
  }
  return (f) => {
    for (const part of parts) {
      if (typeof part === 'string') f.out += part;
      else {
        const v = part(f);
        f.out += typeof v === 'string' ? v : pyStr(v);
      }
    }
    return 0;
  };
}

function compileIf(c: CompileContext, node: Stmt & { kind: 'if' }, frame: CFrame): Ex {
  const branches = [{ test: node.test, body: node.body }, ...node.elifs].map((b) => ({
    test: statementExpr(c, b.test, frame),
    body: compileBody(c, b.body, frame),
  }));
  const otherwise = compileBody(c, node.else_, frame);
  return (f) => {
    for (const branch of branches) if (pyTruthy(branch.test(f))) return branch.body(f);
    return otherwise(f);
  };
}

function compileAssignStatement(c: CompileContext, node: Stmt & { kind: 'assign' }, frame: CFrame): Ex {
  const check = compileNamespaceChecks(node.target, frame);
  const value = statementExpr(c, node.node, frame);
  const assign = compileAssign(node.target, frame, frame.toplevel);
  const line = node.line;
  const run = located(
    c,
    (f) => {
      check?.(f);
      assign(f, value(f));
      return 0;
    },
    line,
  );
  return run as Ex;
}

/** Runs `body` with output captured: returns the text, or the loop signal that cut it short. */
function capture(body: Ex, f: Frame): string | number {
  const saved = f.out;
  f.out = '';
  const signal = body(f);
  const text = f.out;
  f.out = saved;
  return signal ? signal : text;
}

function compileAssignBlock(c: CompileContext, node: Stmt & { kind: 'assignblock' }, frame: CFrame): Ex {
  const blockFrame = innerFrame(frame);
  analyzeBody(blockFrame.symbols, node.body);
  const enter = enterFrame(blockFrame);
  const body = compileBody(c, node.body, blockFrame);
  const text = temporary(blockFrame);
  const value = node.filter ? located(c, compileFilter(c, node.filter, blockFrame, text.read), node.line) : text.read;
  const assign = compileAssign(node.target, frame, frame.toplevel);
  return located(
    c,
    (f) => {
      enter(f);
      const result = capture(body, f);
      if (typeof result === 'number') return result;
      text.write(f, result);
      assign(f, value(f));
      return 0;
    },
    node.line,
  ) as Ex;
}

function compileFilterBlock(c: CompileContext, node: Stmt & { kind: 'filterblock' }, frame: CFrame): Ex {
  const filterFrame = innerFrame(frame);
  analyzeBody(filterFrame.symbols, node.body, node.filter);
  const enter = enterFrame(filterFrame);
  const body = compileBody(c, node.body, filterFrame);
  const text = temporary(filterFrame);
  const apply = located(c, compileFilter(c, node.filter, filterFrame, text.read), node.filter.line);
  return (f) => {
    enter(f);
    const result = capture(body, f);
    if (typeof result === 'number') return result;
    text.write(f, result);
    f.out += pyStr(apply(f));
    return 0;
  };
}

function compileWith(c: CompileContext, node: Stmt & { kind: 'with' }, frame: CFrame): Ex {
  const withFrame = innerFrame(frame);
  analyzeWith(withFrame.symbols, node);
  const enter = enterFrame(withFrame);
  const bindings = node.targets.map((target, i) => ({
    assign: compileAssign(target, withFrame, false),
    value: statementExpr(c, node.values[i]!, frame),
  }));
  const body = compileBody(c, node.body, withFrame);
  const bind = located(
    c,
    (f) => {
      for (const b of bindings) b.assign(f, b.value(f));
      return 0;
    },
    node.line,
  );
  return (f) => {
    enter(f);
    bind(f);
    return body(f);
  };
}
