/** A whole template → one function that renders it in a RenderContext (Jinja2's root render function). */
import { Frame, type RenderContext, type RuntimeEnvironment } from '../runtime/frame.js';
import type { Stmt } from '../syntax/ast.js';
import { analyzeTemplate } from './analyze.js';
import { enterFrame, rootFrame } from './context.js';
import { compileBody } from './statements.js';

export type RootFunction = (ctx: RenderContext) => string;

export function compileRoot(env: RuntimeEnvironment, body: Stmt[], fileName: string): RootFunction {
  const frame = rootFrame();
  analyzeTemplate(frame.symbols, body);
  const c = { env, fileName };
  const enter = enterFrame(frame);
  const run = compileBody(c, body, frame);
  const size = frame.fn.size;
  return (ctx) => {
    const f = new Frame(null, ctx, size, undefined);
    enter(f);
    run(f);
    return f.out;
  };
}
