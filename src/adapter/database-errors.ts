import { DatabaseError, TspipeError } from '../errors.js';

/** The fields pg's and PGlite's error classes share (both mirror the ErrorResponse message). */
interface DriverErrorFields {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string | number;
}

/** A SQLSTATE, not a Node errno (EPIPE is five capitals too; no SQLSTATE class starts with E). */
export function isSqlState(code: unknown): code is string {
  return typeof code === 'string' && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code);
}

/** Line and column (1-based) of a 1-based character offset in `sql`. */
export function positionToLineColumn(sql: string, position: number): { line: number; column: number } {
  const before = sql.slice(0, Math.max(0, position - 1));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Any error thrown by a driver → a DatabaseError keeping SQLSTATE, detail, hint and
 * position; with `sql` the position also becomes a line/column of that statement so
 * callers only add the file or model. tspipe's own errors pass through unchanged.
 */
export function toDatabaseError(err: unknown, sql?: string): TspipeError {
  if (err instanceof TspipeError) return err;
  const fields = (typeof err === 'object' && err !== null ? err : {}) as DriverErrorFields;
  const message = fields.message || String(err);
  // Node's errno codes (ECONNRESET...) are not SQLSTATEs: keep them reachable via cause only.
  const code = isSqlState(fields.code) ? fields.code : undefined;
  const position = fields.position === undefined ? undefined : Number(fields.position);
  const where = sql !== undefined && position && Number.isFinite(position) ? positionToLineColumn(sql, position) : {};
  return new DatabaseError(fields.detail ? `${message}\n  detail: ${fields.detail}` : message, {
    code,
    detail: fields.detail || undefined,
    hint: fields.hint || undefined,
    position: Number.isFinite(position) ? position : undefined,
    cause: err,
    ...where,
  });
}

/** COMMIT answered ROLLBACK: a statement failed inside the transaction and fn swallowed the error. */
export function rolledBackError(): DatabaseError {
  return new DatabaseError('the transaction was rolled back: a statement in it failed and its error was caught', {
    code: '25P02',
    hint: 'let errors inside transaction() propagate, or use a savepoint to recover from them',
  });
}
