/**
 * `{% macro %}` and `{% call %}` bodies become functions (Jinja2's macro_body):
 * parameters, the special caller/kwargs/varargs when the body reads them,
 * defaults evaluated in the macro's frame at call time.
 */
import { TemplateSyntaxError } from '../errors.js';
import { makeMacro, type MacroDefinition } from '../runtime/macro.js';
import type { MacroNode, NameNode, Stmt } from '../syntax/ast.js';
import { pyStr } from '../values/repr.js';
import { analyzeMacro, findUndeclared } from './analyze.js';
import { compileCall } from './calls.js';
import { enterFrame, innerFrame, located, temporary, writeVariable, type CFrame, type CompileContext, type Ex } from './context.js';
import { compileExpr } from './expressions.js';
import { compileBody } from './statements.js';
import { FunctionScope } from './symbols.js';

interface MacroLike {
  name: string;
  args: NameNode[];
  defaults: MacroNode['defaults'];
  body: Stmt[];
  line: number;
}

export function compileMacroDefinition(c: CompileContext, node: MacroLike, frame: CFrame, isCaller: boolean): MacroDefinition {
  const fn = new FunctionScope(frame.fn);
  const macroFrame = innerFrame(frame, fn);
  const symbols = macroFrame.symbols;
  analyzeMacro(symbols, { kind: 'macro', ...node });
  const argNames = node.args.map((a) => a.name);
  const paramSlots = argNames.map((name) => symbols.ref(name).slot);
  const explicitCaller = argNames.indexOf('caller');
  const undeclared = findUndeclared(node.body, ['caller', 'kwargs', 'varargs']);
  const accessesCaller = undeclared.has('caller');
  if (accessesCaller) {
    if (explicitCaller !== -1) {
      if (argNames.length - explicitCaller > node.defaults.length) {
        throw new TemplateSyntaxError(
          'When defining macros or call blocks the special "caller" argument must be omitted or be given a default.',
          c.fileName,
          node.line,
        );
      }
    } else {
      paramSlots.push(symbols.declareParameter('caller').slot);
    }
  }
  const catchKwargs = undeclared.has('kwargs') && !argNames.includes('kwargs');
  if (catchKwargs) paramSlots.push(symbols.declareParameter('kwargs').slot);
  const catchVarargs = undeclared.has('varargs') && !argNames.includes('varargs');
  if (catchVarargs) paramSlots.push(symbols.declareParameter('varargs').slot);

  const firstDefault = argNames.length - node.defaults.length;
  const defaults = argNames.map((_, i) => {
    const d = node.defaults[i - firstDefault];
    return i >= firstDefault && d ? located(c, compileExpr(c, d, macroFrame), d.line) : null;
  });
  const enter = enterFrame(macroFrame);
  const body = compileBody(c, node.body, macroFrame);
  return {
    name: node.name,
    argNames,
    paramSlots,
    defaults,
    catchKwargs,
    catchVarargs,
    accessesCaller,
    explicitCaller: explicitCaller !== -1,
    isCaller,
    get frameSize() {
      return fn.size;
    },
    enter,
    body,
  };
}

export function compileMacroStatement(c: CompileContext, node: MacroNode, frame: CFrame): Ex {
  const def = compileMacroDefinition(c, node, frame, false);
  const write = writeVariable(frame.symbols.ref(node.name), frame.fn);
  const name = node.name;
  const exported = frame.toplevel;
  return (f) => {
    const macro = makeMacro(def, f);
    write(f, macro);
    if (exported) f.ctx.assign(name, macro);
    return 0;
  };
}

/** `{% call(args) macro(...) %}body{% endcall %}`: the body becomes `caller`, passed as a keyword. */
export function compileCallBlock(c: CompileContext, node: Stmt & { kind: 'callblock' }, frame: CFrame): Ex {
  const def = compileMacroDefinition(c, { ...node, name: 'caller' }, frame, true);
  const caller = temporary(frame);
  const call = located(c, compileCall(c, node.call, frame, [['caller', caller.read]]), node.line);
  return (f) => {
    caller.write(f, makeMacro(def, f));
    f.out += pyStr(call(f));
    return 0;
  };
}
