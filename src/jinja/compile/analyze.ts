/**
 * Walks a frame's nodes in evaluation order to record which names it loads,
 * stores and takes as parameters (Jinja2's FrameSymbolVisitor and RootVisitor).
 * The walk stops at nested frames (loop bodies, macro bodies, set blocks): they
 * get their own Symbols when compiled.
 */
import type { Expr, Stmt } from '../syntax/ast.js';
import type { Symbols } from './symbols.js';

type Node = Expr | Stmt | { kind: 'data' };

class FrameVisitor {
  constructor(public symbols: Symbols) {}

  visit(node: Node | null, storeAsParam = false): void {
    if (!node) return;
    switch (node.kind) {
      case 'name':
        if (storeAsParam || node.ctx === 'param') this.symbols.declareParameter(node.name);
        else if (node.ctx === 'store') this.symbols.store(node.name);
        else this.symbols.load(node.name);
        return;
      case 'tuple':
        node.items.forEach((item) => this.visit(item, storeAsParam));
        return;
      case 'nsref':
        this.symbols.load(node.name);
        return;
      case 'if':
        this.visitIf(node.test, node.body, node.elifs, node.else_);
        return;
      case 'macro':
        this.symbols.store(node.name);
        return;
      case 'assign':
        this.visit(node.node);
        this.visit(node.target);
        return;
      case 'for':
        this.visit(node.iter);
        return;
      case 'callblock':
        this.visit(node.call);
        return;
      case 'filterblock':
        this.visit(node.filter);
        return;
      case 'with':
        node.values.forEach((v) => this.visit(v));
        return;
      case 'assignblock':
        this.visit(node.target);
        return;
      default:
        forEachChild(node, (child) => this.visit(child));
    }
  }

  private visitIf(test: Expr, body: Stmt[], elifs: { test: Expr; body: Stmt[] }[], else_: Stmt[]): void {
    this.visit(test);
    const original = this.symbols;
    const branch = (visit: () => void): Symbols => {
      this.symbols = original.copy();
      visit();
      const result = this.symbols;
      this.symbols = original;
      return result;
    };
    const bodySymbols = branch(() => body.forEach((s) => this.visit(s)));
    const elifSymbols = branch(() => elifs.forEach((e) => this.visitIf(e.test, e.body, [], [])));
    const elseSymbols = branch(() => else_.forEach((s) => this.visit(s)));
    this.symbols.branchUpdate([bodySymbols, elifSymbols, elseSymbols]);
  }
}

/** The children of an expression or simple statement, in Jinja2's field order. */
export function forEachChild(node: Node, visit: (child: Expr | Stmt) => void): void {
  switch (node.kind) {
    case 'output':
      for (const n of node.nodes) if (n.kind !== 'data') visit(n);
      return;
    case 'exprstmt':
      visit(node.node);
      return;
    case 'list':
    case 'tuple':
      node.items.forEach(visit);
      return;
    case 'dict':
      for (const item of node.items) {
        visit(item.key);
        visit(item.value);
      }
      return;
    case 'condexpr':
      visit(node.test);
      visit(node.expr1);
      if (node.expr2) visit(node.expr2);
      return;
    case 'binop':
    case 'and':
    case 'or':
      visit(node.left);
      visit(node.right);
      return;
    case 'not':
    case 'neg':
    case 'pos':
      visit(node.node);
      return;
    case 'concat':
      node.nodes.forEach(visit);
      return;
    case 'compare':
      visit(node.expr);
      for (const op of node.ops) visit(op.expr);
      return;
    case 'getattr':
      visit(node.node);
      return;
    case 'getitem':
      visit(node.node);
      visit(node.arg);
      return;
    case 'slice':
      for (const part of [node.start, node.stop, node.step]) if (part) visit(part);
      return;
    case 'call':
    case 'filter':
    case 'test':
      if (node.node) visit(node.node);
      node.args.forEach(visit);
      for (const kw of node.kwargs) visit(kw.value);
      if (node.dynArgs) visit(node.dynArgs);
      if (node.dynKwargs) visit(node.dynKwargs);
      return;
    default:
      return;
  }
}

/** RootVisitor: the symbols of a frame whose own node is `root`. */
export function analyzeTemplate(symbols: Symbols, body: Stmt[]): void {
  const v = new FrameVisitor(symbols);
  body.forEach((s) => v.visit(s));
}

export function analyzeMacro(symbols: Symbols, node: Stmt & { kind: 'macro' | 'callblock' }): void {
  const v = new FrameVisitor(symbols);
  node.args.forEach((a) => v.visit(a));
  node.defaults.forEach((d) => v.visit(d));
  node.body.forEach((s) => v.visit(s));
}

export function analyzeFor(symbols: Symbols, node: Stmt & { kind: 'for' }, branch: 'body' | 'else' | 'test'): void {
  const v = new FrameVisitor(symbols);
  if (branch === 'else') {
    node.else_.forEach((s) => v.visit(s));
    return;
  }
  v.visit(node.target, true);
  if (branch === 'test') v.visit(node.test);
  else node.body.forEach((s) => v.visit(s));
}

export function analyzeBody(symbols: Symbols, body: Stmt[], after?: Expr): void {
  const v = new FrameVisitor(symbols);
  body.forEach((s) => v.visit(s));
  if (after) v.visit(after);
}

export function analyzeWith(symbols: Symbols, node: Stmt & { kind: 'with' }): void {
  const v = new FrameVisitor(symbols);
  node.targets.forEach((t) => v.visit(t));
  node.body.forEach((s) => v.visit(s));
}

/**
 * Which of `names` the nodes read before (or without) declaring them, not
 * stopping at nested frames: how a macro knows it takes caller/varargs/kwargs.
 */
export function findUndeclared(nodes: (Expr | Stmt)[], names: string[]): Set<string> {
  const pending = new Set(names);
  const found = new Set<string>();
  const visit = (node: Expr | Stmt): void => {
    if (node.kind === 'name') {
      if (node.ctx === 'load' && pending.has(node.name)) found.add(node.name);
      else pending.delete(node.name);
      return;
    }
    forEachNested(node, visit);
  };
  nodes.forEach(visit);
  return found;
}

/** Every child node, statements included (the whole subtree, as Jinja2's find_all walks it). */
export function forEachNested(node: Expr | Stmt, visit: (child: Expr | Stmt) => void): void {
  switch (node.kind) {
    case 'if':
      visit(node.test);
      node.body.forEach(visit);
      for (const e of node.elifs) {
        visit(e.test);
        e.body.forEach(visit);
      }
      node.else_.forEach(visit);
      return;
    case 'for':
      visit(node.target);
      visit(node.iter);
      node.body.forEach(visit);
      node.else_.forEach(visit);
      if (node.test) visit(node.test);
      return;
    case 'macro':
    case 'callblock':
      if (node.kind === 'callblock') visit(node.call);
      node.args.forEach(visit);
      node.defaults.forEach(visit);
      node.body.forEach(visit);
      return;
    case 'filterblock':
      node.body.forEach(visit);
      visit(node.filter);
      return;
    case 'with':
      node.targets.forEach(visit);
      node.values.forEach(visit);
      node.body.forEach(visit);
      return;
    case 'assign':
      visit(node.target);
      visit(node.node);
      return;
    case 'assignblock':
      visit(node.target);
      if (node.filter) visit(node.filter);
      node.body.forEach(visit);
      return;
    default:
      forEachChild(node, visit);
  }
}
