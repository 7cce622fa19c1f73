/**
 * Calls, filters and tests: arguments (`*args`, `**kwargs` included) evaluated
 * in Python's order, then one invocation whose errors get this call site as a
 * frame. `obj.method(...)` calls the method on obj without a bound function.
 */
import { TemplateSyntaxError, runtimeError, typeError } from '../errors.js';
import { callMethod } from '../runtime/attribute.js';
import { callValue } from '../runtime/call.js';
import type { Frame } from '../runtime/frame.js';
import type { CallArgs, CallNode, Expr, FilterNode } from '../syntax/ast.js';
import { toList } from '../values/iterate.js';
import { isDict } from '../values/py-types.js';
import { typeName } from '../values/type-name.js';
import { callSiteError, type CFrame, type CompileContext, type Ev } from './context.js';
import { compileExpr } from './expressions.js';

type Arguments = (f: Frame) => { args: unknown[]; kwargs: Record<string, unknown> | null };

/** Compiles the arguments; `leading` are prepended (a filter's input), `extra` appended as keywords (caller). */
export function compileArguments(c: CompileContext, node: CallArgs, frame: CFrame, leading: Ev | null = null, extra: [string, Ev][] = []): Arguments {
  const args = node.args.map((a) => compileExpr(c, a, frame));
  const kwargs: [string, Ev][] = [...node.kwargs.map((k) => [k.key, compileExpr(c, k.value, frame)] as [string, Ev]), ...extra];
  const dynArgs = node.dynArgs ? compileExpr(c, node.dynArgs, frame) : null;
  const dynKwargs = node.dynKwargs ? compileExpr(c, node.dynKwargs, frame) : null;
  if (!dynArgs && !dynKwargs && kwargs.length === 0) {
    if (leading === null) return (f) => ({ args: args.map((a) => a(f)), kwargs: null });
    return (f) => ({ args: [leading(f), ...args.map((a) => a(f))], kwargs: null });
  }
  return (f) => {
    const positional = leading ? [leading(f)] : [];
    for (const a of args) positional.push(a(f));
    let named: Record<string, unknown> | null = null;
    for (const [key, value] of kwargs) (named ??= {})[key] = value(f);
    if (dynArgs) positional.push(...starArgs(dynArgs(f)));
    if (dynKwargs) named = mergeStarKwargs(named ?? {}, dynKwargs(f));
    return { args: positional, kwargs: named };
  };
}

function starArgs(v: unknown): unknown[] {
  try {
    return toList(v);
  } catch {
    throw typeError(`argument after * must be an iterable, not ${typeName(v)}`);
  }
}

function mergeStarKwargs(named: Record<string, unknown>, v: unknown): Record<string, unknown> {
  if (!isDict(v)) throw typeError(`argument after ** must be a mapping, not ${typeName(v)}`);
  for (const key of Object.keys(v)) {
    if (Object.hasOwn(named, key)) throw typeError(`got multiple values for keyword argument '${key}'`);
    named[key] = v[key];
  }
  return named;
}

export function compileCall(c: CompileContext, node: CallNode, frame: CFrame, extra: [string, Ev][] = []): Ev {
  const { fileName } = c;
  const line = node.line;
  const argsOf = compileArguments(c, node, frame, null, extra);
  if (node.node.kind === 'getattr') {
    const obj = compileExpr(c, node.node.node, frame);
    const name = node.node.attr;
    const env = c.env;
    return (f) => {
      const self = obj(f);
      const { args, kwargs } = argsOf(f);
      try {
        return callMethod(env, self, name, args, kwargs);
      } catch (e) {
        throw callSiteError(e, fileName, line, f);
      }
    };
  }
  const callee = compileExpr(c, node.node, frame);
  return (f) => {
    const fn = callee(f);
    const { args, kwargs } = argsOf(f);
    try {
      return callValue(fn, null, args, kwargs);
    } catch (e) {
      throw callSiteError(e, fileName, line, f);
    }
  };
}

/** A filter applies to `node.node`, or (a filter block, `{% set x | f %}`) to `input`. */
export function compileFilter(c: CompileContext, node: FilterNode, frame: CFrame, input: Ev | null): Ev {
  const inner = node.node;
  const value = inner === null ? input! : inner.kind === 'filter' && input ? compileFilter(c, inner, frame, input) : compileExpr(c, inner, frame);
  return compileApplication(c, node, frame, value, c.env.filters, 'filter');
}

export function compileTest(c: CompileContext, node: Expr & { kind: 'test' }, frame: CFrame): Ev {
  return compileApplication(c, node, frame, compileExpr(c, node.node, frame), c.env.tests, 'test');
}

function compileApplication(
  c: CompileContext,
  node: CallArgs & { name: string; line: number },
  frame: CFrame,
  value: Ev,
  registry: Record<string, unknown>,
  kind: 'filter' | 'test',
): Ev {
  const fn = Object.hasOwn(registry, node.name) ? registry[node.name] : undefined;
  if (fn === undefined) {
    // Jinja2 checks at compile time, except inside an if or a conditional expression.
    if (!frame.softFrame) throw new TemplateSyntaxError(`No ${kind} named '${node.name}'.`, c.fileName, node.line);
    const message = `No ${kind} named '${node.name}' found.`;
    return () => {
      throw runtimeError(message);
    };
  }
  const { fileName, env } = c;
  const line = node.line;
  const argsOf = compileArguments(c, node, frame, value);
  return (f) => {
    const { args, kwargs } = argsOf(f);
    try {
      return callValue(fn, env, args, kwargs);
    } catch (e) {
      throw callSiteError(e, fileName, line, f);
    }
  };
}
