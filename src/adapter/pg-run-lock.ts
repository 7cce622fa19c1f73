import type { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockError } from '../errors.js';
import type { RunLockOptions } from '../contract/index.js';

/** Advisory lock class for tspipe runs ('tspi' in ASCII); the object is the database name's hash. */
const LOCK_CLASS = 0x74737069;
const POLL_MS = 1000;

const TRY_LOCK = 'select pg_try_advisory_lock($1::int, hashtext(current_database())) as ok';
const UNLOCK = 'select pg_advisory_unlock($1::int, hashtext(current_database()))';
// pg_locks shows the two int4 keys as oids (unsigned), hence the masks.
const HOLDER = `
select a.pid, a.application_name, a.usename, a.client_addr::text as client_addr, a.backend_start
from pg_locks l left join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory' and l.granted and l.objsubid = 2
  and l.database = (select oid from pg_database where datname = current_database())
  and l.classid = ($1::bigint & 4294967295)::oid
  and l.objid = (hashtext(current_database())::bigint & 4294967295)::oid
limit 1`;

interface HolderRow {
  pid: number;
  application_name: string | null;
  usename: string | null;
  client_addr: string | null;
  backend_start: Date | null;
}

function describeHolder(row: HolderRow | undefined): string {
  if (!row) return 'another session (it just released the lock?)';
  const app = row.application_name ? `"${row.application_name}"` : 'an unnamed client';
  const from = row.client_addr ? ` from ${row.client_addr}` : '';
  const since = row.backend_start ? `, connected since ${new Date(row.backend_start).toISOString()}` : '';
  return `${app} backend pid ${row.pid}${row.usename ? ` (user ${row.usename}${from}${since})` : ''}`;
}

/**
 * One run per database: a session-level advisory lock held by a dedicated
 * connection (not a pool slot) for the whole run. If that connection dies the
 * server drops the lock with it.
 */
export async function acquirePgRunLock(
  client: Client,
  description: string,
  options: RunLockOptions,
): Promise<() => Promise<void>> {
  let waiting = false;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>(TRY_LOCK, [LOCK_CLASS]);
    if (rows[0]?.ok) break;
    const holder = describeHolder((await client.query<HolderRow>(HOLDER, [LOCK_CLASS])).rows[0]);
    if (!options.wait) {
      throw new LockError(`${description} is in use by another tspipe run (${holder}): wait for it to finish, or run without --no-wait to queue behind it`);
    }
    if (!waiting) options.onWait?.(holder);
    waiting = true;
    await sleep(POLL_MS);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    // A dead session has dropped the lock already; closing it releases the lock anyway.
    await client.query(UNLOCK, [LOCK_CLASS]).catch(() => undefined);
    await client.end().catch(() => undefined);
  };
}
