/**
 * Renders a FastTemplate through nunjucks' own runtime functions (name lookup,
 * member lookup, calls, keyword arguments, output conversion), in the order the
 * code nunjucks compiles would run them, so the result is the same to the byte.
 */
import nunjucks from 'nunjucks';
import type { FastExpr, FastTemplate } from './fast-template.js';

interface NunjucksRuntime {
  Frame: new () => { topLevel: boolean };
  contextOrFrameLookup(context: object, frame: object, name: string): unknown;
  memberLookup(target: unknown, name: string): unknown;
  callWrap(fn: unknown, name: string, context: object, args: unknown[]): unknown;
  makeKeywordArgs(values: Record<string, unknown>): Record<string, unknown>;
  ensureDefined(value: unknown, lineno: number, colno: number): unknown;
  suppressValue(value: unknown, autoescape: boolean): unknown;
}

type ContextClass = new (ctx: object, blocks: object, env: nunjucks.Environment) => object;

/** Read through the module object each time: jinja-compat patches these functions. */
const runtime = nunjucks.runtime as unknown as NunjucksRuntime;
let contextClass: ContextClass | undefined;

export function renderFastTemplate(template: FastTemplate, env: nunjucks.Environment, ctx: object): string {
  const context = new (nunjucksContext(env))(ctx, {}, env);
  const frame = new runtime.Frame();
  frame.topLevel = true;
  const autoescape = (env as unknown as { opts: { autoescape: boolean } }).opts.autoescape;
  let output = '';
  for (const segment of template.segments) {
    if (typeof segment === 'string') output += segment;
    // `+=` as the compiled template does (not String()): same conversion of objects.
    else output += runtime.suppressValue(runtime.ensureDefined(evaluate(segment, context, frame), 0, 0), autoescape) as string;
  }
  return output;
}

function evaluate(expr: FastExpr, context: object, frame: object): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'symbol':
      return runtime.contextOrFrameLookup(context, frame, expr.name);
    case 'member':
      return runtime.memberLookup(evaluate(expr.target, context, frame), expr.name);
    case 'array':
      return expr.items.map((item) => evaluate(item, context, frame));
    case 'dict':
      return entriesToObject(expr.entries, context, frame);
    case 'call': {
      const callee = evaluate(expr.callee, context, frame);
      const args = expr.args.map((arg) => evaluate(arg, context, frame));
      if (expr.kwargs.length) args.push(runtime.makeKeywordArgs(entriesToObject(expr.kwargs, context, frame)));
      return runtime.callWrap(callee, calleeName(expr.callee), context, args);
    }
  }
}

function entriesToObject(entries: [string, FastExpr][], context: object, frame: object): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) result[key] = evaluate(value, context, frame);
  return result;
}

function calleeName(expr: FastExpr): string {
  return expr.kind === 'symbol' ? expr.name : expr.kind === 'member' ? `${calleeName(expr.target)}["${expr.name}"]` : '--expression--';
}

/** nunjucks does not export its Context class; take it from a one-off render. */
function nunjucksContext(env: nunjucks.Environment): ContextClass {
  if (!contextClass) {
    new nunjucks.Template('{{ capture() }}', env, undefined, true).render({
      capture(this: object) {
        contextClass = this.constructor as ContextClass;
        return '';
      },
    });
  }
  return contextClass!;
}
