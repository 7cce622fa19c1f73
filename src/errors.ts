/**
 * One root error class for everything tspipe reports to a user. Subclasses carry
 * where the problem is (file/line or model) and what to do about it, and the exit
 * code the CLI should use: 2 for usage and project errors, 1 for run failures, 3
 * for a bug in tspipe itself (InternalError, or anything that is not a TspipeError).
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  model?: string;
}

export interface TspipeErrorOptions extends ErrorLocation {
  hint?: string;
  cause?: unknown;
}

/** A bug in tspipe: neither the project, the command line nor the database is at fault. */
export const INTERNAL_ERROR_EXIT_CODE = 3;

export class TspipeError extends Error {
  readonly exitCode: 1 | 2 | typeof INTERNAL_ERROR_EXIT_CODE = 1;
  readonly location: ErrorLocation;
  readonly hint?: string;

  constructor(message: string, options: TspipeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    const { hint, cause: _cause, ...location } = options;
    this.location = location;
    this.hint = hint;
  }

  /** `file:line:col` or `model x` or '' when the error is not tied to a place. */
  get where(): string {
    const { file, line, column, model } = this.location;
    if (file) return [file, line, line !== undefined ? column : undefined].filter((p) => p !== undefined).join(':');
    return model ? `model ${model}` : '';
  }
}

/** A state the code should never reach: exit code 3, so no one takes it for a failed node (1). */
export class InternalError extends TspipeError {
  override readonly exitCode = INTERNAL_ERROR_EXIT_CODE;
}

/** The project itself is wrong (template, YAML, config, graph): exit code 2. */
export class ProjectError extends TspipeError {
  override readonly exitCode = 2 as const;
}

/** The command line is wrong: exit code 2. */
export class UsageError extends TspipeError {
  override readonly exitCode = 2 as const;
}

/** The database could not be reached or configured. */
export class ConnectionError extends TspipeError {}

/** Something failed while running SQL against the database. */
export class DatabaseError extends TspipeError {
  readonly code?: string;
  /** 1-based character offset in the failing statement, as PostgreSQL reports it. */
  readonly position?: number;
  /** PostgreSQL's DETAIL line (e.g. the duplicate key), when there is one. */
  readonly detail?: string;
  constructor(message: string, options: TspipeErrorOptions & { code?: string; position?: number; detail?: string } = {}) {
    const { code, position, detail, ...rest } = options;
    super(message, rest);
    this.code = code;
    this.position = position;
    this.detail = detail;
  }
}

/** Another tspipe run holds the target. */
export class LockError extends TspipeError {}

/** Every error found in a project, reported together (collect errors, fail once). */
export class ProjectErrors extends ProjectError {
  readonly errors: TspipeError[];
  constructor(errors: TspipeError[]) {
    super(`${errors.length} error${errors.length === 1 ? '' : 's'} in the project`);
    this.errors = errors;
  }
}

/** Collects errors while a stage goes on, then throws them all at once. */
export class ErrorCollector {
  readonly errors: TspipeError[] = [];
  add(error: TspipeError): void {
    if (error instanceof ProjectErrors) this.errors.push(...error.errors);
    else this.errors.push(error);
  }
  get size(): number {
    return this.errors.length;
  }
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new ProjectErrors(this.errors);
  }
}

/** A human message: `file:line: message` plus the hint on its own line. */
export function formatError(error: TspipeError): string {
  if (error instanceof ProjectErrors) return error.errors.map(formatError).join('\n\n');
  const head = error.where ? `${error.where}: ${error.message}` : error.message;
  return error.hint ? `${head}\n  hint: ${error.hint}` : head;
}
