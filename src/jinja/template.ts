/**
 * A compiled template: render it, run it as a module (its exported macros and
 * top-level `set` names), or take one top-level macro without running the rest
 * of the file, as dbt does when it extracts each macro of a macro file.
 */
import { compileRoot, type RootFunction } from './compile/template.js';
import { RenderContext, type RuntimeEnvironment } from './runtime/frame.js';
import type { JinjaMacro } from './runtime/macro.js';
import type { MacroNode, TemplateAst } from './syntax/ast.js';

export interface MacroInfo {
  name: string;
  line: number;
  params: string[];
}

export class Template {
  readonly fileName: string;
  /** Top-level macro definitions (also those from macroTags), found without running anything. */
  readonly macros: readonly MacroInfo[];
  private readonly root: RootFunction;
  private readonly macroNodes = new Map<string, MacroNode>();
  private readonly singleMacros = new Map<string, RootFunction>();

  constructor(
    private readonly env: RuntimeEnvironment,
    ast: TemplateAst,
  ) {
    this.fileName = ast.fileName;
    for (const node of ast.body) if (node.kind === 'macro') this.macroNodes.set(node.name, node);
    this.macros = [...this.macroNodes.values()].map((m) => ({ name: m.name, line: m.line, params: m.args.map((a) => a.name) }));
    this.root = compileRoot(env, ast.body, ast.fileName);
  }

  render(vars: object = {}): string {
    return this.root(new RenderContext(this.env, vars, this.fileName));
  }

  /**
   * Runs the top level once (output discarded) and returns what it exports, like
   * jinja2's Template.module: macros and top-level `set` names, except those
   * starting with `_` (Jinja2 keeps them private; `macro(name)` still gives them).
   */
  makeModule(vars: object = {}): Record<string, unknown> {
    const ctx = new RenderContext(this.env, vars, this.fileName);
    this.root(ctx);
    const module: Record<string, unknown> = {};
    for (const name of ctx.exported) module[name] = ctx.assigned[name];
    return module;
  }

  /**
   * One top-level macro, compiled as if it were alone in its file: names it
   * does not define itself resolve from `vars` (and globals) when it is called.
   */
  macro(name: string, vars: object = {}): JinjaMacro {
    let root = this.singleMacros.get(name);
    if (!root) {
      const node = this.macroNodes.get(name);
      if (!node) {
        const known = [...this.macroNodes.keys()].join(', ') || 'none';
        throw new Error(`${this.fileName} has no top-level macro '${name}' (it defines: ${known})`);
      }
      root = compileRoot(this.env, [node], this.fileName);
      this.singleMacros.set(name, root);
    }
    const ctx = new RenderContext(this.env, vars, this.fileName);
    root(ctx);
    return ctx.assigned[name] as JinjaMacro;
  }
}
