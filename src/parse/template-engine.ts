/**
 * dbt's Jinja for a project: two environments of tspipe's Jinja2 engine (src/jinja/)
 * — parse renders tolerate undefined names as dbt's parser does, run renders do not —
 * every package's macros (context/macro-registry), and the names a template sees
 * (context/template-context, parse/node-values). Templates render synchronously; one
 * that queries the database suspends and is replayed (context/warehouse).
 */
import { RaisedByProject, builtins, loggingBuiltins, type LogLine, type TargetContext } from '../context/builtins.js';
import { MacroRegistry, asProjectError, type DispatchConfig, type MacroDefinition, type RenderMode } from '../context/macro-registry.js';
import { templateContext, type TemplateContext } from '../context/template-context.js';
import { renderWithWarehouse, type WarehouseSession } from '../context/warehouse.js';
import { type ErrorCollector, ProjectError, TspipeError } from '../errors.js';
import { DBT_MACRO_TAGS, Environment, Kwargs, TemplateRuntimeError, TemplateSyntaxError, beforeEachCall, isPyFunction, type Template } from '../jinja/index.js';
import { closestHint } from '../text.js';
import { addDbtFilters } from './dbt-filters.js';
import { nodeValues } from './node-values.js';
import { noteVolatileRead, type RenderHooks } from './render-hooks.js';

export type { TargetContext } from '../context/builtins.js';

const GLOBAL_PROJECT_PREFIX = '(tspipe global project)';

export interface TemplateEngineOptions {
  projectName: string;
  /** Vars by project: the root's and each package's own `vars:`; cliVars win over all. */
  projectVars: Record<string, Record<string, unknown>>;
  cliVars: Record<string, unknown>;
  target: TargetContext;
  env?: NodeJS.ProcessEnv;
  dispatch?: DispatchConfig[];
  flags?: Record<string, unknown>;
  invocationId?: string;
  runStartedAt?: Date;
  fullRefresh?: boolean;
  /** dbt's selected_resources: the caller fills this array once the command has selected. */
  selectedResources?: readonly string[];
  /** Where log(), print() and exceptions.warn() lines go. */
  onLog?(line: LogLine): void;
}

/** A template compiled per mode on first use. */
export interface CompiledTemplate {
  readonly source: string;
  readonly file: string;
  compiled: Partial<Record<RenderMode, Template>>;
}

export class TemplateEngine {
  readonly registry: MacroRegistry;
  private readonly environments: Record<RenderMode, Environment>;
  private readonly builtins: Record<string, unknown>;
  private readonly logSink: (line: LogLine) => void;

  constructor(private readonly options: TemplateEngineOptions) {
    this.environments = {
      parse: new Environment({ undefined: 'chainable', macroTags: DBT_MACRO_TAGS }),
      run: new Environment({ macroTags: DBT_MACRO_TAGS }),
    };
    for (const env of Object.values(this.environments)) {
      addDbtFilters(env);
      markRandomVolatile(env);
    }
    this.registry = new MacroRegistry(options.projectName, this.environments, options.dispatch ?? []);
    this.logSink = options.onLog ?? (() => undefined);
    this.builtins = builtins({
      projectName: options.projectName,
      target: options.target,
      env: options.env ?? process.env,
      invocationId: options.invocationId ?? crypto.randomUUID(),
      runStartedAt: options.runStartedAt ?? new Date(),
      flags: options.flags ?? {},
      selectedResources: options.selectedResources,
    });
  }

  /** Registers a package (installed or the root) before its macro files. */
  addPackage(name: string): void {
    this.registry.addPackage(name);
  }

  /** Reads every macro of a file (test, materialization and docs blocks included) into `packageName`. */
  loadMacroFile(packageName: string, source: string, file: string, errors: ErrorCollector): MacroDefinition[] {
    return this.registry.addFile(packageName, file, source, errors);
  }

  compile(source: string, file: string): CompiledTemplate {
    const template: CompiledTemplate = { source, file, compiled: {} };
    this.templateFor(template, 'parse');
    return template;
  }

  /** Renders synchronously; a template that queries the database throws a WarehouseRequest. */
  render(template: CompiledTemplate, hooks: RenderHooks, log: (line: LogLine) => void = this.logSink): string {
    const mode: RenderMode = hooks.execute ? 'run' : 'parse';
    const compiled = this.templateFor(template, mode);
    const context = this.contextFor(hooks, mode, log);
    return this.guard(hooks.file, () => compiled.render(context), hooks.packageName);
  }

  /** Renders with the database at hand: statements run as the template reaches them. */
  async renderAsync(template: CompiledTemplate, hooks: RenderHooks & { session: WarehouseSession }): Promise<string> {
    return this.replay(hooks.session, (log) => this.render(template, hooks, log));
  }

  hasMacro(name: string, packageName = this.options.projectName): boolean {
    return this.resolveMacro(name, packageName) !== undefined;
  }

  /** The target's schema: what `this` names while parsing. */
  get targetSchema(): string {
    return this.options.target.schema;
  }

  /** An unqualified macro name as a template of `packageName` resolves it (local, root, global). */
  resolveMacro(name: string, packageName = this.options.projectName): MacroDefinition | undefined {
    return this.registry.fromPackage(packageName, name) ?? this.registry.fromPackage(this.options.projectName, name) ?? this.registry.internal.get(name);
  }

  /** Calls a macro from TypeScript (generate_schema_name, a generic test...), `name` or `package.name`. */
  callMacro(
    name: string,
    hooks: RenderHooks,
    args: unknown[] = [],
    kwargs: Record<string, unknown> = {},
    log: (line: LogLine) => void = this.logSink,
  ): unknown {
    const mode: RenderMode = hooks.execute ? 'run' : 'parse';
    const context = this.contextFor(hooks, mode, log);
    const [qualifier, macroName] = name.includes('.') ? (name.split('.', 2) as [string, string]) : [undefined, name];
    const macro = qualifier ? (context[qualifier] as Record<string, unknown> | undefined)?.[macroName] : context[macroName];
    if (typeof macro !== 'function') throw new ProjectError(`macro ${name} is not defined`, { file: hooks.file });
    const call = () => (Object.keys(kwargs).length ? macro(...args, new Kwargs(kwargs)) : macro(...args));
    return this.guard(hooks.file, call, hooks.packageName);
  }

  async callMacroAsync(
    name: string,
    hooks: RenderHooks & { session: WarehouseSession },
    args: unknown[] = [],
    kwargs: Record<string, unknown> = {},
  ): Promise<unknown> {
    return this.replay(hooks.session, (log) => this.callMacro(name, hooks, args, kwargs, log));
  }

  private templateFor(template: CompiledTemplate, mode: RenderMode): Template {
    if (!template.compiled[mode]) {
      try {
        template.compiled[mode] = this.environments[mode].fromString(template.source, template.file);
      } catch (error) {
        throw asProjectError(error, template.file);
      }
    }
    return template.compiled[mode]!;
  }

  private contextFor(hooks: RenderHooks, mode: RenderMode, log: (line: LogLine) => void): TemplateContext {
    let context: TemplateContext;
    const values = nodeValues({
      hooks,
      mode,
      registry: this.registry,
      context: () => context,
      lookupVar: (name, packageName) => this.lookupVar(name, packageName),
      renderVar: (text) => this.environments[mode].fromString(text, hooks.file).render(context),
      database: this.options.target.database,
      targetSchema: this.options.target.schema,
      fullRefresh: this.options.fullRefresh ?? false,
    });
    Object.assign(values, loggingBuiltins(log));
    context = templateContext(this.registry, this.builtins, {
      packageName: hooks.packageName ?? this.options.projectName,
      mode,
      values,
      overrides: overridesOf(hooks, this.builtins),
    });
    return context;
  }

  /** dbt's var precedence: --vars, then the root project's (package-scoped first), then the package's own. */
  private lookupVar(name: string, packageName: string): { found: boolean; value?: unknown } {
    if (Object.hasOwn(this.options.cliVars, name)) return { found: true, value: this.options.cliVars[name] };
    const layers = [this.options.projectVars[this.options.projectName] ?? {}];
    if (packageName !== this.options.projectName) layers.push(this.options.projectVars[packageName] ?? {});
    for (const vars of layers) {
      const scoped = vars[packageName];
      if (scoped && typeof scoped === 'object' && !Array.isArray(scoped) && Object.hasOwn(scoped, name))
        return { found: true, value: (scoped as Record<string, unknown>)[name] };
      if (Object.hasOwn(vars, name)) return { found: true, value: vars[name] };
    }
    return { found: false };
  }

  /** A render replayed until its statements have results; its log() lines are printed once, at the end. */
  async replay<T>(session: WarehouseSession, render: (log: (line: LogLine) => void) => T): Promise<T> {
    let lines: LogLine[] = [];
    try {
      return await renderWithWarehouse(session, () => {
        lines = [];
        return render((line) => lines.push(line));
      });
    } finally {
      for (const line of lines) this.logSink(line);
    }
  }

  private guard<T>(file: string, fn: () => T, packageName = this.options.projectName): T {
    try {
      return fn();
    } catch (error) {
      throw toProjectError(error, file, () => this.knownNames(packageName));
    }
  }

  /** What a template of `packageName` can call by name: macros it sees, package namespaces, dbt's builtins. */
  private knownNames(packageName: string): string[] {
    const names = [...Object.keys(this.builtins), ...this.registry.packages.keys(), ...this.registry.internal.keys()];
    for (const pkg of new Set([packageName, this.options.projectName])) names.push(...(this.registry.packages.get(pkg)?.keys() ?? []));
    return names.filter((name) => !name.startsWith('materialization_') && !name.startsWith('test_'));
  }
}

/**
 * A unit test's overrides as names: each overridden macro returns its value,
 * env_var() sees the test's environment first. (vars are read by var() itself.)
 */
function overridesOf(hooks: RenderHooks, builtins: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!hooks.overrides) return undefined;
  const names: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(hooks.overrides.macros ?? {})) names[name] = () => value;
  const envVars = hooks.overrides.env_vars ?? {};
  if (Object.keys(envVars).length) {
    const envVar = builtins.env_var as (...args: unknown[]) => unknown;
    names.env_var = (name: unknown, ...rest: unknown[]) => (Object.hasOwn(envVars, String(name)) ? envVars[String(name)] : envVar(name, ...rest));
  }
  return names;
}

/** Engine errors as tspipe errors: the innermost file and line, the macro call chain, the cause's hint. */
export function toProjectError(error: unknown, file: string, knownNames: () => string[] = () => []): unknown {
  if (error instanceof TemplateSyntaxError) return asProjectError(error, file);
  if (!(error instanceof TemplateRuntimeError)) return error;
  const cause = error.cause;
  const frames = error.frames ?? [];
  // Point at the project's own file: tspipe's global macros are rarely where the fix goes,
  // and what a project raises itself is about how its macro was called.
  const ownFrames = frames.filter((f) => !f.fileName.startsWith(GLOBAL_PROJECT_PREFIX));
  const innermost = (cause instanceof RaisedByProject ? ownFrames.at(-1) : ownFrames[0]) ?? frames[0];
  const chain = frames.length > 1 ? ` (${frames.map((f) => `${f.macro ? `in macro ${f.macro} ` : ''}at ${f.fileName}:${f.line}`).join(', called ')})` : '';
  if (cause instanceof TspipeError) {
    const located = cause.location.file !== undefined && !(cause instanceof RaisedByProject);
    return new ProjectError(`${cause.message}${chain}`, {
      file: located ? cause.location.file : (innermost?.fileName ?? file),
      line: located ? cause.location.line : innermost?.line,
      hint: cause.hint,
      cause,
    });
  }
  return new ProjectError(`${error.message}${chain}`, {
    file: innermost?.fileName ?? file,
    line: innermost?.line,
    cause,
    hint: hintFor(error.message, knownNames),
  });
}

function hintFor(message: string, knownNames: () => string[]): string | undefined {
  const missing = /'(\w+)' is undefined/.exec(message)?.[1] ?? /has no attribute '(\w+)'/.exec(message)?.[1];
  const suggestion = missing === undefined ? undefined : closestHint(missing, knownNames());
  if (suggestion) return suggestion;
  if (/is undefined/.test(message))
    return 'a name used here is not defined: check its spelling, that its macro file is under macro-paths, or that its package is installed (tspipe deps)';
  if (/not callable|has no attribute/.test(message)) return 'check the name of the function or macro called here';
  return undefined;
}

/** Jinja's `random` filter and `lipsum()` give another value each render: like the clock, never cached. */
function markRandomVolatile(env: Environment): void {
  const filters = env.filters as Record<string, unknown>;
  if (isPyFunction(filters.random)) filters.random = beforeEachCall(filters.random, noteVolatileRead);
  if (isPyFunction(env.globals.lipsum)) env.globals.lipsum = beforeEachCall(env.globals.lipsum, noteVolatileRead);
}
