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

export function noteVolatileRead(): void {
  if (reads) reads.volatile = true;
}
