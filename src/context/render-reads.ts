/**
 * What a render read besides its template and the project's files: environment
 * variables (by name, with the value seen) and the clock. The parse and compile
 * caches reuse a result only when these are unchanged, and never after a clock read
 * or a database query.
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
    if (outer) mergeReads(outer, mine);
  }
}

export function mergeReads(into: RenderReads, from: RenderReads): void {
  Object.assign(into.env, from.env);
  into.volatile ||= from.volatile;
}

export function noteEnvRead(name: string, value: string | undefined): void {
  if (reads && !(name in reads.env)) reads.env[name] = value ?? null;
}

/**
 * dbt's flags (WHICH, FULL_REFRESH...) a render read: recorded with the environment
 * variables as "flags.NAME" (no environment variable has a dot in its name), so every
 * cache that compares environment reads compares them too, against `withFlags(env, flags)`.
 */
export function noteFlagRead(name: string, value: unknown): void {
  noteEnvRead(FLAG_PREFIX + name, flagText(value));
}

/** The environment as the caches compare reads against it: the variables plus the flags. */
export function withFlags(env: Record<string, string | undefined>, flags: Record<string, unknown> | undefined): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(flags ?? {})) result[FLAG_PREFIX + name] = flagText(value);
  return result;
}

const FLAG_PREFIX = 'flags.';

function flagText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : JSON.stringify(value);
}

export function noteVolatileRead(): void {
  if (reads) reads.volatile = true;
}
