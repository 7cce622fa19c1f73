import type { ConnectionSpec } from '../contract/index.js';
import { ConnectionError } from '../errors.js';
import { isSqlState } from './database-errors.js';

/** `postgres://user@host:port/db`: what a user may see of a URL (never the password). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    return `postgres://${user}${host}:${u.port || '5432'}/${database}`;
  } catch {
    return 'postgres (connection string not shown)';
  }
}

/** The database a spec names, as the adapter's `description` says it (no password): `pglite DIR` or `postgres://user@host:port/db`. */
export function describeConnection(spec: ConnectionSpec): string {
  return spec.kind === 'pglite' ? `pglite ${spec.dataDir}` : describePostgresUrl(spec.url);
}

interface ErrorLike {
  code?: string;
  message?: string;
  errors?: ErrorLike[]; // AggregateError when several addresses were tried (localhost → ::1, 127.0.0.1)
}

const REASONS: Record<string, [reason: string, hint: string]> = {
  ECONNREFUSED: ['is PostgreSQL running?', 'start the server, or fix the host and port of the connection URL'],
  ENOTFOUND: ['unknown host', 'fix the host name in the connection URL'],
  EAI_AGAIN: ['the host name could not be resolved now', 'check the network and DNS, then run again'],
  ETIMEDOUT: ['no answer from the server', 'check the host, port and firewall'],
  EHOSTUNREACH: ['host unreachable', 'check the host and the network'],
  ECONNRESET: ['the server closed the connection', 'check that the port is PostgreSQL and its SSL settings'],
  // Server errors: the reason is the server's message, these give the hint.
  '28P01': ['', 'check the user and password (in the URL or PGPASSWORD)'],
  '28000': ['', 'check the user name and pg_hba.conf on the server'],
  '3D000': ['', 'create the database (createdb <name>) or fix its name in the URL'],
  '57P03': ['', 'the server is starting or stopping: wait a moment and run again'],
  '53300': ['', 'lower the connection count (threads) or raise max_connections'],
};

/** One clear ConnectionError for a failed connect: what, where, likely why, what to do. */
export function connectionError(description: string, err: unknown): ConnectionError {
  const e = (err ?? {}) as ErrorLike;
  const code = e.code ?? e.errors?.find((inner) => inner.code)?.code;
  const known = code ? REASONS[code] : undefined;
  const timedOut = !known && /timeout/i.test(e.message ?? '');
  // The server's own words name the role or database; our words explain socket errors.
  const serverSaid = isSqlState(code) && e.message;
  const reason = serverSaid || known?.[0] || (timedOut ? 'no answer from the server' : e.message || String(err));
  const hint = known?.[1] ?? (timedOut ? 'check the host, port and firewall' : 'check the connection URL and the server');
  return new ConnectionError(`cannot connect to ${description}: ${reason}${code ? ` (${code})` : ''}`, { hint, cause: err });
}
