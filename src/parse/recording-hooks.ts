/**
 * The parse pass's hooks: ref() and source() record a dependency and return a
 * relation named after it, config() records values, is_incremental() is false.
 */
import { DbtRelation } from '../context/relation.js';
import { configCallLine } from './call-lines.js';
import type { RefCall } from './manifest.js';
import { mergeConfig } from './node-config.js';
import type { RenderHooks } from './render-hooks.js';

export interface ModelRecorder {
  hooks: RenderHooks;
  refs: RefCall[];
  sources: [string, string][];
  readonly config: Record<string, unknown>;
  /** Line of the first `config(` call, for config errors. */
  configLine(source: string): number | undefined;
}

export interface RecordOptions {
  packageName?: string;
  /** The node as `model` sees it while parsing. */
  model?: () => Record<string, unknown>;
  /**
   * The schema `this` names while parsing: the target's, as in dbt, whose parse-time
   * `this` comes before a custom schema is applied (a config value built from it keeps it).
   */
  thisSchema?: string;
}

function forModel(file: string, name: string, baseConfig: Record<string, unknown>, options: RecordOptions = {}): ModelRecorder {
  const refs: RefCall[] = [];
  const sources: [string, string][] = [];
  let config = baseConfig;
  const hooks: RenderHooks = {
    file,
    packageName: options.packageName,
    execute: false,
    ref(first, second, version) {
      const call: RefCall = second === undefined ? { name: first } : { package: first, name: second };
      if (version !== undefined && version !== null) call.version = version as string | number;
      if (!refs.some((r) => r.name === call.name && r.package === call.package)) refs.push(call);
      return new DbtRelation({ schema: '__ref__', identifier: call.name, type: 'table' });
    },
    source(sourceName, table) {
      if (!sources.some(([s, t]) => s === sourceName && t === table)) sources.push([sourceName, table]);
      return new DbtRelation({ schema: sourceName, identifier: table, type: 'table' });
    },
    config(values) {
      config = mergeConfig(config, values);
    },
    configGet(key, fallback) {
      return config[key] ?? fallback;
    },
    isIncremental: () => false,
    thisRelation: new DbtRelation({ schema: options.thisSchema ?? '__this__', identifier: name, type: 'table' }),
    model: options.model,
  };
  return {
    hooks,
    refs,
    sources,
    get config() {
      return config;
    },
    configLine: configCallLine,
  };
}

/** For macros called while parsing (generate_schema_name...): nothing to record. */
function forMacros(file: string, packageName?: string, model?: () => Record<string, unknown>): RenderHooks {
  return {
    file,
    packageName,
    execute: false,
    ref: (name) => new DbtRelation({ schema: '__ref__', identifier: name }),
    source: (s, t) => new DbtRelation({ schema: s, identifier: t }),
    config: () => undefined,
    configGet: (_key, fallback) => fallback,
    isIncremental: () => false,
    thisRelation: new DbtRelation({ schema: '__this__', identifier: 'macro' }),
    model,
  };
}

export const recordingHooks = { forModel, forMacros };
