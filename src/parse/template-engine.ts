/**
 * The nunjucks environment every template renders in: Jinja bridges, dbt's
 * globals (ref, source, config, var, env_var, this, target, is_incremental, ...)
 * and the project's macros, callable everywhere without import.
 */
import nunjucks from 'nunjucks';
import { ProjectError, TspipeError } from '../errors.js';
import { renderFastTemplate } from './fast-render.js';
import { parseFastTemplate, type FastTemplate } from './fast-template.js';
import { DoExtension, addJinjaFilters, installJinjaBridges } from './jinja-compat.js';
import { currentHooks, noteEnvRead, noteVolatileRead, withHooks, type RenderHooks } from './render-hooks.js';

export interface TargetContext {
  name: string;
  schema: string;
  type: string;
  threads: number;
  /** pglite or postgres: which driver runs the SQL. */
  driver: string;
}

export interface TemplateEngineOptions {
  projectName: string;
  vars: Record<string, unknown>;
  target: TargetContext;
  env?: NodeJS.ProcessEnv;
}

/** A model's template: rendered by the fast path when it fits, else by nunjucks. */
export interface CompiledTemplate {
  readonly source: string;
  readonly file: string;
  readonly fast?: FastTemplate;
  /** nunjucks' compiled template; for a fast template, made only when an error needs it. */
  nunjucks?: nunjucks.Template;
}

/** getExported exists at runtime but is missing from @types/nunjucks. */
interface ExportingTemplate {
  getExported(ctx: object, frame: undefined, cb: (err: unknown, result: Record<string, unknown>) => void): void;
}

/** Lets a macro `{{ return(value) }}` hand a value (not text) back to its caller. */
const NO_RETURN = Symbol('no return');
const returnStack: unknown[] = [];

export class TemplateEngine {
  readonly env: nunjucks.Environment;
  private readonly macroFiles = new Map<string, string>();

  constructor(private readonly options: TemplateEngineOptions) {
    installJinjaBridges();
    // dev: keep nunjucks' lineno/cause on errors so we can point at file:line.
    this.env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, dev: true });
    this.env.addExtension('do', new DoExtension());
    addJinjaFilters(this.env);
    this.addGlobals();
  }

  private addGlobals(): void {
    const { vars, target, projectName } = this.options;
    const processEnv = this.options.env ?? process.env;
    const g = (name: string, value: unknown) => this.env.addGlobal(name, value);
    g('ref', (...args: unknown[]) => {
      const [a, b, c] = stripKeywords(args);
      return currentHooks().ref(String(a), b === undefined ? undefined : String(b), c);
    });
    g('source', (s: unknown, t: unknown) => currentHooks().source(String(s), String(t)));
    const config = (...args: unknown[]) => {
      const kwargs = args.find(isKeywords) ?? (typeof args[0] === 'object' ? args[0] : {});
      currentHooks().config(withoutKeywordsMarker(kwargs as Record<string, unknown>));
      return '';
    };
    config.get = (key: string, fallback?: unknown) => currentHooks().configGet(key, fallback ?? null);
    config.require = (key: string) => {
      const value = currentHooks().configGet(key, undefined);
      if (value === undefined) throw new ProjectError(`config "${key}" is required by this model`);
      return value;
    };
    g('config', config);
    g('var', (...args: unknown[]) => {
      const name = String(args[0]);
      if (Object.hasOwn(vars, name)) return vars[name];
      if (args.length > 1) return args[1];
      throw new ProjectError(`var("${name}") is not defined`, {
        hint: `set it under vars: in project.yml, pass --vars '{"${name}": ...}', or give a default: var("${name}", default)`,
      });
    });
    g('env_var', (name: string, fallback?: unknown) => {
      const value = processEnv[name];
      noteEnvRead(name, value);
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      throw new ProjectError(`env_var("${name}") is not set`, {
        hint: `export ${name}=... or give a default: env_var("${name}", "default")`,
      });
    });
    g('is_incremental', () => currentHooks().isIncremental());
    g('target', { ...target, profile_name: projectName, database: target.name });
    g('project_name', projectName);
    const runStartedAt = new Date().toISOString();
    g('return', (value: unknown) => {
      if (returnStack.length) returnStack[returnStack.length - 1] = value;
      return '';
    });
    g('log', () => '');
    g('print', () => '');
    g('exceptions', {
      raise_compiler_error: (message: string) => {
        throw new ProjectError(String(message), {
          hint: 'the project raised this itself (exceptions.raise_compiler_error): do what the message asks, or fix the call',
        });
      },
      warn: () => '',
    });
    g('fromjson', (text: string, fallback?: unknown) => {
      try {
        return JSON.parse(text);
      } catch {
        return fallback ?? null;
      }
    });
    g('tojson', (value: unknown) => JSON.stringify(value ?? null));
    g('dict', (...args: unknown[]) => withoutKeywordsMarker((args.find(isKeywords) ?? {}) as Record<string, unknown>));
    g('zip', (...lists: unknown[][]) => lists[0]?.map((_, i) => lists.map((l) => l[i])) ?? []);
    g('adapter', {
      quote: (identifier: string) => `"${String(identifier).replace(/"/g, '""')}"`,
      dispatch: (name: string) => {
        for (const candidate of [`postgres__${name}`, `default__${name}`, name]) {
          if (this.macroFiles.has(candidate)) return this.env.getGlobal(candidate);
        }
        throw new ProjectError(`adapter.dispatch: no macro postgres__${name} or default__${name}`);
      },
    });
    // `{{ this }}` and `{% if execute %}` read the current hooks through getters.
    const globals = (this.env as unknown as { globals: object }).globals;
    Object.defineProperty(globals, 'this', { get: () => currentHooks().thisRelation, enumerable: true });
    Object.defineProperty(globals, 'execute', { get: () => currentHooks().execute, enumerable: true });
    // A render that reads the clock must never be served from the cache.
    Object.defineProperty(globals, 'run_started_at', {
      get: () => {
        noteVolatileRead();
        return runStartedAt;
      },
      enumerable: true,
    });
  }

  compile(source: string, file: string): CompiledTemplate {
    const fast = parseFastTemplate(source);
    if (fast) return { source, file, fast };
    return { source, file, nunjucks: this.compileNunjucks(source, file) };
  }

  private compileNunjucks(source: string, file: string): nunjucks.Template {
    try {
      return new nunjucks.Template(source, this.env, file, true);
    } catch (error) {
      const projectError = toProjectError(error, file);
      if (projectError.location.line !== undefined) throw projectError;
      // nunjucks gives no line for "end of file" errors: something opened is never closed.
      throw new ProjectError(projectError.message, {
        file,
        line: source.split('\n').length,
        hint: 'a {% block %}, {{ expression }} or quoted string opened earlier is never closed',
      });
    }
  }

  render(template: CompiledTemplate, hooks: RenderHooks, context: Record<string, unknown> = {}): string {
    if (template.fast) {
      const fast = template.fast;
      try {
        return withHooks(hooks, () => renderFastTemplate(fast, this.env, context));
      } catch {
        // Render again with nunjucks: it reports the same error with its line and column.
      }
    }
    template.nunjucks ??= this.compileNunjucks(template.source, template.file);
    const compiled = template.nunjucks;
    try {
      return withHooks(hooks, () => compiled.render(context));
    } catch (error) {
      throw toProjectError(error, hooks.file);
    }
  }

  /** Registers every top-level macro of a file as a global; returns their names and lines. */
  loadMacroFile(source: string, file: string, hooks: RenderHooks): { name: string; line?: number }[] {
    const template = this.compileNunjucks(source, file);
    let exported: Record<string, unknown> = {};
    try {
      withHooks(hooks, () =>
        (template as unknown as ExportingTemplate).getExported({}, undefined, (err, result) => {
          if (err) throw err;
          exported = result;
        }),
      );
    } catch (error) {
      throw toProjectError(error, file);
    }
    const found: { name: string; line?: number }[] = [];
    for (const [name, macro] of Object.entries(exported)) {
      if (typeof macro !== 'function') continue;
      const previousFile = this.macroFiles.get(name);
      const line = lineOfMacro(source, name);
      if (previousFile && previousFile !== file) {
        throw new ProjectError(`macro "${name}" is defined twice (also in ${previousFile})`, {
          file,
          line,
          hint: 'rename one of them',
        });
      }
      this.macroFiles.set(name, file);
      this.env.addGlobal(name, wrapMacro(macro as (...args: unknown[]) => unknown));
      found.push({ name, line });
    }
    return found;
  }

  hasMacro(name: string): boolean {
    return this.macroFiles.has(name);
  }

  /** Calls a project macro from TypeScript (e.g. generate_schema_name). */
  callMacro(name: string, hooks: RenderHooks, ...args: unknown[]): unknown {
    const macro = this.env.getGlobal(name) as (...a: unknown[]) => unknown;
    try {
      return withHooks(hooks, () => macro(...args));
    } catch (error) {
      throw toProjectError(error, this.macroFiles.get(name) ?? hooks.file);
    }
  }
}

function wrapMacro(macro: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function callMacro(this: unknown, ...args: unknown[]) {
    returnStack.push(NO_RETURN);
    try {
      const output = macro.apply(this, args);
      const returned = returnStack[returnStack.length - 1];
      return returned === NO_RETURN ? output : returned;
    } finally {
      returnStack.pop();
    }
  };
}

function lineOfMacro(source: string, name: string): number | undefined {
  const index = source.search(new RegExp(`{%-?\\s*macro\\s+${name}\\s*\\(`));
  return index < 0 ? undefined : source.slice(0, index).split('\n').length;
}

function isKeywords(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { __keywords?: boolean }).__keywords === true;
}

function withoutKeywordsMarker(kwargs: Record<string, unknown>): Record<string, unknown> {
  const { __keywords: _marker, ...rest } = kwargs;
  return rest;
}

function stripKeywords(args: unknown[]): unknown[] {
  const positional = args.filter((a) => !isKeywords(a));
  const kwargs = args.find(isKeywords);
  if (kwargs?.version !== undefined || kwargs?.v !== undefined) positional.length = Math.min(positional.length, 2);
  return positional;
}

/** nunjucks errors carry lineno/colno and the original error as `cause`. */
export function toProjectError(error: unknown, file: string): TspipeError {
  const err = error as { lineno?: number; colno?: number; cause?: unknown; message?: string };
  const cause = err.cause instanceof TspipeError ? err.cause : error instanceof TspipeError ? error : undefined;
  if (cause && !(error as { lineno?: number }).lineno && cause.location.file) return cause;
  const message = cause ? cause.message : cleanNunjucksMessage(String(err.message ?? error));
  // An error thrown inside a call is wrapped by nunjucks' handleError with its 0-based
  // position; its own errors (parser, undefined output) already count from 1.
  const base = err.cause !== undefined && err.lineno !== undefined ? 1 : 0;
  return new ProjectError(message, {
    file: cause?.location.file ?? file,
    line: cause?.location.line ?? (err.lineno === undefined ? undefined : err.lineno + base),
    column: cause?.location.line ? cause.location.column : err.colno === undefined ? undefined : err.colno + base,
    hint: cause?.hint ?? hintFor(message),
  });
}

function cleanNunjucksMessage(message: string): string {
  // "(file) [Line 3, Column 5]\n  Template render error: ...\n  Error: x" -> "x"
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\(.*\)( \[Line \d+(, Column \d+)?\])?$/.test(l));
  const last = lines[lines.length - 1] ?? message;
  return last.replace(/^(Template render error|Error|TypeError|ReferenceError): /, '').replace(/^\(.*?\)\s*/, '');
}

function hintFor(message: string): string | undefined {
  if (/attempted to output null or undefined value/.test(message))
    return 'a variable or expression in {{ }} is undefined: check its spelling, or use {{ x | default("...") }}';
  if (/unknown block tag/.test(message)) return 'check the tag name and that every {% if %}/{% for %} is closed';
  if (/expected/.test(message)) return 'check the template syntax around this line ({{ }}, {% %} and quotes)';
  if (/is not a function|Unable to call/.test(message))
    return 'a function or macro called here does not exist: check its name, and that its macro file is under macros/';
  return undefined;
}
