/**
 * What a template can ask of tspipe while it renders. The parse pass installs
 * *recording* hooks (ref() notes a dependency), the compile pass *resolving* hooks
 * (ref() returns the quoted relation): dbt's render-twice.
 */
export interface RenderHooks {
  /** File shown in errors, relative to the project dir. */
  file: string;
  ref(name: string, packageOrName?: string, extra?: unknown): unknown;
  source(sourceName: string, tableName: string): unknown;
  /** `{{ config(materialized='table') }}`; returns ''. */
  config(values: Record<string, unknown>): void;
  /** `config.get('key', default)` */
  configGet(key: string, fallback?: unknown): unknown;
  isIncremental(): boolean;
  thisRelation: unknown;
  /** False while parsing (dbt's `execute`), true while compiling. */
  execute: boolean;
}

/** Rendering is synchronous, so one "current" slot is enough for every template. */
let current: RenderHooks | undefined;

export function withHooks<T>(hooks: RenderHooks, fn: () => T): T {
  const previous = current;
  current = hooks;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

export function currentHooks(): RenderHooks {
  if (!current) throw new Error('ref(), source() and config() can only be called while a model renders');
  return current;
}

/**
 * What a render read besides its hooks and the project's files: environment
 * variables (by name, with the value seen) and the clock. The content-hash cache
 * reuses a result only when these are unchanged, and never after a clock read.
 */
export interface RenderReads {
  env: Record<string, string | null>;
  volatile: boolean;
}

let reads: RenderReads | undefined;

/** Runs fn and returns what it read; nested calls report to the outermost too. */
export function trackReads<T>(fn: () => T): { value: T; reads: RenderReads } {
  const outer = reads;
  const mine: RenderReads = { env: {}, volatile: false };
  reads = mine;
  try {
    return { value: fn(), reads: mine };
  } finally {
    reads = outer;
    if (outer) {
      Object.assign(outer.env, mine.env);
      outer.volatile ||= mine.volatile;
    }
  }
}

export function noteEnvRead(name: string, value: string | undefined): void {
  if (reads && !(name in reads.env)) reads.env[name] = value ?? null;
}

export function noteVolatileRead(): void {
  if (reads) reads.volatile = true;
}
