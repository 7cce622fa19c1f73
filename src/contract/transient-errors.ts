/**
 * Which database errors are worth retrying as is. Here and not in adapter/ because
 * the stages that retry (execute/, datatests/) must not depend on a driver.
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '57P01', '57P02', '57P03']);
const TRANSIENT_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const TRANSIENT_MESSAGES = [
  'Connection terminated unexpectedly',
  // pg's follow-up error on a client whose socket already died.
  'Client has encountered a connection error and is not queryable',
];

/**
 * Worth retrying as is: serialization failures, deadlocks, a dropped or terminated
 * connection, a server restarting. Looks through `cause` chains (DatabaseError wraps
 * the driver error).
 */
export function isTransientError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 10; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_ERRNOS.has(code)) return true;
    }
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((m) => message.includes(m))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
