/**
 * What a parse gives (`ParsedProject`) and what it takes (`ParseOptions`); a parsed
 * project restored from target/project_snapshot.json, whose template engine is made
 * only when something renders; and the engine both use.
 */
import { ErrorCollector, type TspipeError } from '../errors.js';
import type { LogLine, TargetContext } from '../context/builtins.js';
import { renderConfigTrees, type ConfigTrees } from './config-trees.js';
import type { ProjectFiles } from './discover-files.js';
import { loadMacros } from './load-macros.js';
import type { Manifest, UnitTestDefinition } from './manifest.js';
import type { ProjectTree } from './project-tree.js';
import { TemplateEngine, type CompiledTemplate } from './template-engine.js';

export interface ParseOptions {
  target: TargetContext;
  /** --vars, overriding every project's vars. */
  vars?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Reuse and update target/partial_parse.json (content-hash cache); off unless asked. */
  cache?: boolean;
  /** The root project and its packages. */
  tree: ProjectTree;
  /** dbt's flags (FULL_REFRESH, WHICH...) as templates see them. */
  flags?: Record<string, unknown>;
  fullRefresh?: boolean;
  /** dbt's selected_resources, filled by the command once it has selected (see LoadedProject). */
  selectedResources?: readonly string[];
  /** Where log(), print() and exceptions.warn() lines go. */
  onLog?(line: LogLine): void;
}

export interface ParsedProject {
  config: ParseOptions['tree']['root'];
  tree: ProjectTree;
  manifest: Manifest;
  engine: TemplateEngine;
  /** Every file of the tree (root-relative). */
  files: ProjectFiles;
  /** Compiled templates by model uniqueId, reused by the compile pass (absent when cached). */
  templates: Map<string, CompiledTemplate>;
  /** Hash of everything a render can see besides the model's own file and config; undefined when renders must not be cached. */
  projectKey?: string;
  /** Hash of every input of the parsed manifest; equal keys give the same manifest but for generatedAt. */
  inputsKey?: string;
  /** Environment variables any render read (null: unset), with the values seen. */
  envRead: Record<string, string | null>;
  /** Problems that do not stop the run (dbt prints them as warnings). */
  warnings: TspipeError[];
  /** Each package's rendered config trees (tests take their config from them later). */
  configTrees: Map<string, ConfigTrees>;
  /** unit_tests: of every property file; datatests/ makes them test nodes. */
  unitTests: UnitTestDefinition[];
}

/**
 * A project whose manifest comes from target/project_snapshot.json: the manifest is
 * read on first use, and the template engine (macros loaded) made only when
 * something renders.
 */
export function restoreParsedProject(
  options: ParseOptions,
  restored: { manifest: () => Manifest; projectKey?: string; inputsKey?: string; envRead: Record<string, string | null> },
): ParsedProject {
  let engine: TemplateEngine | undefined;
  let configTrees: Map<string, ConfigTrees> | undefined;
  const { manifest, ...keys } = restored;
  return {
    config: options.tree.root,
    tree: options.tree,
    files: options.tree.files,
    templates: new Map(),
    warnings: [],
    unitTests: [],
    ...keys,
    get configTrees() {
      return (configTrees ??= new Map(
        options.tree.packages.map((p) => [p.config.name, renderConfigTrees(p.config, options.target, options.vars ?? {}, options.env ?? process.env)]),
      ));
    },
    get manifest() {
      return manifest();
    },
    get engine() {
      if (!engine) {
        const errors = new ErrorCollector();
        engine = createEngine(options);
        loadMacros(engine, options.tree, errors);
        errors.throwIfAny();
      }
      return engine;
    },
  };
}

export function createEngine(options: ParseOptions): TemplateEngine {
  const projectVars = Object.fromEntries(options.tree.packages.map((p) => [p.config.name, p.config.vars]));
  return new TemplateEngine({
    projectName: options.tree.root.name,
    projectVars,
    cliVars: options.vars ?? {},
    target: options.target,
    env: options.env,
    dispatch: options.tree.root.dispatch,
    flags: options.flags,
    fullRefresh: options.fullRefresh,
    selectedResources: options.selectedResources,
    onLog: options.onLog,
  });
}
