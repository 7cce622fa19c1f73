/**
 * The parse pass's hooks: ref() and source() record a dependency and return a
 * placeholder relation, config() records values, is_incremental() is false.
 */
import { configCallLine } from './call-lines.js';
import type { RefCall } from './manifest.js';
import { mergeConfig } from './node-config.js';
import type { RenderHooks } from './render-hooks.js';

/** Stands in for a relation while parsing; renders as its name. */
class PlaceholderRelation {
  constructor(
    readonly schema: string,
    readonly identifier: string,
  ) {}
  get name(): string {
    return this.identifier;
  }
  get table(): string {
    return this.identifier;
  }
  toString(): string {
    return `${this.schema}.${this.identifier}`;
  }
}

export interface ModelRecorder {
  hooks: RenderHooks;
  refs: RefCall[];
  sources: [string, string][];
  readonly config: Record<string, unknown>;
  /** Line of the first `config(` call, for config errors. */
  configLine(source: string): number | undefined;
}

function forModel(file: string, name: string, baseConfig: Record<string, unknown>): ModelRecorder {
  const refs: RefCall[] = [];
  const sources: [string, string][] = [];
  let config = baseConfig;
  const hooks: RenderHooks = {
    file,
    execute: false,
    ref(first, second) {
      const call: RefCall = second === undefined ? { name: first } : { package: first, name: second };
      if (!refs.some((r) => r.name === call.name && r.package === call.package)) refs.push(call);
      return new PlaceholderRelation('__ref__', call.name);
    },
    source(sourceName, table) {
      if (!sources.some(([s, t]) => s === sourceName && t === table)) sources.push([sourceName, table]);
      return new PlaceholderRelation(sourceName, table);
    },
    config(values) {
      config = mergeConfig(config, values);
    },
    configGet(key, fallback) {
      return config[key] ?? fallback;
    },
    isIncremental: () => false,
    thisRelation: new PlaceholderRelation('__this__', name),
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

/** Macros are loaded before any model; their top level must not call ref(). */
function forMacros(file: string): RenderHooks {
  return {
    file,
    execute: false,
    ref: (name) => new PlaceholderRelation('__ref__', name),
    source: (s, t) => new PlaceholderRelation(s, t),
    config: () => undefined,
    configGet: (_key, fallback) => fallback,
    isIncremental: () => false,
    thisRelation: new PlaceholderRelation('__this__', 'macro'),
  };
}

export const recordingHooks = { forModel, forMacros };
