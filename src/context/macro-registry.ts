/**
 * Every macro a project can call: its own, its packages' (dbt_packages/), and tspipe's
 * global project (the `dbt` namespace). A macro file is compiled once per environment;
 * each macro is found by its package and name, two packages may define the same name.
 */
import { ProjectError, type ErrorCollector } from '../errors.js';
import { TemplateSyntaxError, type Environment, type Template } from '../jinja/index.js';
import { syntaxErrorToProjectError } from './jinja-syntax-error.js';

export const INTERNAL_PACKAGE = 'dbt';
export type RenderMode = 'parse' | 'run';

export interface MacroDefinition {
  package: string;
  name: string;
  /** Shown to users: relative to the root project (dbt_packages/x/macros/a.sql). */
  file: string;
  line: number;
  /** Where the file lives, for the source text. */
  fileIndex: number;
}

interface MacroFile {
  file: string;
  source: string;
  compiled: Partial<Record<RenderMode, Template>>;
}

export interface DispatchConfig {
  macro_namespace: string;
  search_order: string[];
}

export class MacroRegistry {
  /** Package name -> its macros by name (the root project and installed packages). */
  readonly packages = new Map<string, Map<string, MacroDefinition>>();
  /** tspipe's global project: what `dbt.x()` and unqualified fallbacks find. */
  readonly internal = new Map<string, MacroDefinition>();
  private readonly files: MacroFile[] = [];

  constructor(
    readonly rootPackage: string,
    private readonly environments: Record<RenderMode, Environment>,
    /** The root project's `dispatch:` entries. */
    readonly dispatch: DispatchConfig[] = [],
  ) {
    this.packages.set(rootPackage, new Map());
  }

  /** Installed packages other than the root (dbt's "dependencies"). */
  isDependency(name: string): boolean {
    return name !== this.rootPackage && this.packages.has(name);
  }

  addPackage(name: string): void {
    if (!this.packages.has(name)) this.packages.set(name, new Map());
  }

  /** Reads a file's macro definitions (without running it); a syntax error is collected. */
  addFile(packageName: string, file: string, source: string, errors: ErrorCollector): MacroDefinition[] {
    const index = this.files.push({ file, source, compiled: {} }) - 1;
    let template: Template;
    try {
      template = this.template(index, 'run');
    } catch (error) {
      errors.add(asProjectError(error, file));
      return [];
    }
    const target = packageName === INTERNAL_PACKAGE ? this.internal : this.packages.get(packageName)!;
    const added: MacroDefinition[] = [];
    for (const macro of template.macros) {
      const previous = target.get(macro.name);
      if (previous) {
        errors.add(
          new ProjectError(`macro "${macro.name}" is defined twice in package ${packageName} (also at ${previous.file}:${previous.line})`, {
            file,
            line: macro.line,
            hint: 'rename or remove one of them',
          }),
        );
        continue;
      }
      const definition = { package: packageName, name: macro.name, file, line: macro.line, fileIndex: index };
      target.set(macro.name, definition);
      added.push(definition);
    }
    return added;
  }

  /** The macro's file compiled for `mode` (parse renders tolerate undefined names). */
  templateOf(definition: MacroDefinition, mode: RenderMode): Template {
    return this.template(definition.fileIndex, mode);
  }

  sourceOf(definition: MacroDefinition): string {
    return this.files[definition.fileIndex]!.source;
  }

  /** dbt's get_from_package: a package's macro, 'dbt' for the global project. */
  fromPackage(packageName: string, name: string): MacroDefinition | undefined {
    if (packageName === INTERNAL_PACKAGE) return this.internal.get(name);
    return this.packages.get(packageName)?.get(name);
  }

  /** The search order `adapter.dispatch(name, macro_namespace)` walks (undefined: unqualified lookup). */
  searchPackages(namespace: string | undefined): (string | undefined)[] {
    if (namespace === undefined) return [undefined];
    const configured = this.dispatch.find((d) => d.macro_namespace === namespace);
    if (configured) return configured.search_order;
    if (this.isDependency(namespace)) return [this.rootPackage, namespace];
    return [undefined];
  }

  private template(index: number, mode: RenderMode): Template {
    const file = this.files[index]!;
    file.compiled[mode] ??= this.environments[mode].fromString(file.source, file.file);
    return file.compiled[mode]!;
  }
}

export function asProjectError(error: unknown, file: string): ProjectError {
  if (error instanceof TemplateSyntaxError) return syntaxErrorToProjectError(error, file);
  if (error instanceof ProjectError) return error;
  return new ProjectError(String((error as Error)?.message ?? error), { file });
}
