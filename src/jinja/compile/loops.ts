/**
 * `{% for %}` as Jinja2 compiles it: the body in its own frame (a `set` inside
 * does not leak out), re-initialised each iteration; `loop` only when the body
 * reads it (or the loop is recursive); an `if` filter in a frame of its own;
 * `else` when no iteration ran to its end; recursive loops as a function that
 * `loop(children)` calls again.
 */
import { TemplateSyntaxError } from '../errors.js';
import { Frame } from '../runtime/frame.js';
import { LoopContext } from '../runtime/loop-context.js';
import type { Expr, Stmt } from '../syntax/ast.js';
import { pyTruthy } from '../values/compare.js';
import { pyIter } from '../values/iterate.js';
import { analyzeFor, findUndeclared, forEachNested } from './analyze.js';
import { compileAssign } from './assign.js';
import { BREAK, enterFrame, innerFrame, located, relocate, writeVariable, type CFrame, type CompileContext, type Ex } from './context.js';
import { compileExpr } from './expressions.js';
import { compileBody, statementExpr } from './statements.js';
import { FunctionScope } from './symbols.js';

type ForNode = Stmt & { kind: 'for' };

export function compileFor(c: CompileContext, node: ForNode, frame: CFrame): Ex {
  assertNoLoopAssignment(c, node);
  const fn = node.recursive ? new FunctionScope(frame.fn) : frame.fn;
  const loopFrame = innerFrame(frame, fn);
  const elseFrame = innerFrame(frame, fn);
  const extended = node.recursive || findUndeclared(node.body, ['loop']).has('loop');
  const loopVar = extended ? loopFrame.symbols.declareParameter('loop') : null;
  analyzeFor(loopFrame.symbols, node, 'body');
  if (node.else_.length) analyzeFor(elseFrame.symbols, node, 'else');
  const filter = node.test ? compileLoopFilter(c, node, frame) : null;

  const setLoop = loopVar ? writeVariable(loopVar, fn) : null;
  const assignTarget = compileAssign(node.target, loopFrame, false);
  const enterLoop = enterFrame(loopFrame);
  const body = compileBody(c, node.body, loopFrame);
  const enterElse = enterFrame(elseFrame);
  const otherwise = node.else_.length ? compileBody(c, node.else_, elseFrame) : null;
  const env = c.env;

  /** Runs the loop over `source` in frame `f`; returns a signal for an outer loop (from `else`). */
  const run = (f: Frame, source: unknown, depth: number, recurse: ((items: unknown, depth: number) => string) | null): number => {
    try {
      return iterate(f, source, depth, recurse);
    } catch (e) {
      throw relocate(c, e, node.line, f);
    }
  };
  const iterate = (f: Frame, source: unknown, depth: number, recurse: ((items: unknown, depth: number) => string) | null): number => {
    let items: unknown[] | Iterable<unknown> = asItems(source);
    const lazyFilter = filter && !extended ? filter(f) : null;
    if (filter && extended) items = Array.from(items).filter(filter(f));
    const loop = extended ? new LoopContext(Array.isArray(items) ? items : Array.from(items), env, recurse, depth) : null;
    let unfinished = true;
    const step = (item: unknown): number => {
      if (loop) {
        loop.index0++;
        setLoop!(f, loop);
      }
      assignTarget(f, item);
      enterLoop(f);
      const signal = body(f);
      if (signal === 0) unfinished = false;
      return signal;
    };
    if (loop) {
      const list = loop.items;
      for (let i = 0; i < list.length; i++) if (step(list[i]) === BREAK) break;
    } else if (Array.isArray(items) && !lazyFilter) {
      for (let i = 0; i < items.length; i++) if (step(items[i]) === BREAK) break;
    } else {
      for (const item of items) {
        if (lazyFilter && !lazyFilter(item)) continue;
        if (step(item) === BREAK) break;
      }
    }
    if (unfinished && otherwise) {
      enterElse(f);
      return otherwise(f);
    }
    return 0;
  };

  const iter = statementExpr(c, node.iter, frame);
  if (!node.recursive) return (f) => run(f, iter(f), 0, null);

  const renderLoop = (outer: Frame) => {
    const recurse = (items: unknown, depth: number): string => {
      const lf = new Frame(outer, outer.ctx, fn.size, outer.macroName);
      run(lf, items, depth, recurse);
      return lf.out;
    };
    return recurse;
  };
  return (f) => {
    f.out += renderLoop(f)(iter(f), 0);
    return 0;
  };
}

function asItems(source: unknown): unknown[] | Iterable<unknown> {
  return typeof source === 'string' ? Array.from(source) : pyIter(source);
}

/**
 * `for x in items if test`: the test runs in a function of its own (Jinja2's loop
 * filter generator), where the target names are that function's variables.
 */
function compileLoopFilter(c: CompileContext, node: ForNode, frame: CFrame): (f: Frame) => (item: unknown) => boolean {
  const fn = new FunctionScope(frame.fn);
  const testFrame = innerFrame(frame, fn);
  analyzeFor(testFrame.symbols, node, 'test');
  const enter = enterFrame(testFrame);
  const assign = compileAssign(node.target, testFrame, false);
  const test = located(c, compileExpr(c, node.test!, testFrame), node.test!.line);
  return (f) => {
    const tf = new Frame(f, f.ctx, fn.size, f.macroName);
    enter(tf);
    return (item) => {
      assign(tf, item);
      return pyTruthy(test(tf));
    };
  };
}

function assertNoLoopAssignment(c: CompileContext, node: ForNode): void {
  const visit = (n: Expr | Stmt): void => {
    if (n.kind === 'name' && n.ctx === 'store' && n.name === 'loop') {
      throw new TemplateSyntaxError("Can't assign to special loop variable in for-loop target", c.fileName, n.line);
    }
    forEachNested(n, visit);
  };
  visit(node);
}
