import type { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockError } from '../errors.js';
import { quoteIdentifier, type RelationRef, type RunLockOptions, type RunLocks } from '../contract/index.js';

/**
 * Advisory lock class for relations tspipe writes ('tspi' in ASCII); the object is the
 * hash of the quoted `"schema"."name"`. Advisory locks are per database already.
 */
const LOCK_CLASS = 0x74737069;
/** Polling backs off from the first to the last delay: short waits end quickly, long ones cost little. */
const POLL_MS = [50, 100, 200, 400, 800, 1000];

const TRY_LOCK = 'select pg_try_advisory_lock($1::int, hashtext($2)) as ok';
const UNLOCK = 'select pg_advisory_unlock($1::int, hashtext($2))';
// pg_locks shows the two int4 keys as oids (unsigned), hence the masks.
const HOLDER = `
select a.pid, a.application_name, a.usename, a.client_addr::text as client_addr, a.backend_start
from pg_locks l left join pg_stat_activity a on a.pid = l.pid
where l.locktype = 'advisory' and l.granted and l.objsubid = 2
  and l.database = (select oid from pg_database where datname = current_database())
  and l.classid = ($1::bigint & 4294967295)::oid
  and l.objid = (hashtext($2)::bigint & 4294967295)::oid
limit 1`;

interface HolderRow {
  pid: number;
  application_name: string | null;
  usename: string | null;
  client_addr: string | null;
  backend_start: Date | null;
}

/** `pid 123 (tspipe, user etl from 10.0.0.2, since 2026-...)`: enough to find and ask the holder. */
function describeHolder(row: HolderRow | undefined): string {
  if (!row) return 'another session (it just released the lock?)';
  const details = [
    row.application_name || 'an unnamed client',
    row.usename ? `user ${row.usename}${row.client_addr ? ` from ${row.client_addr}` : ''}` : '',
    row.backend_start ? `since ${new Date(row.backend_start).toISOString()}` : '',
  ].filter(Boolean);
  return `pid ${row.pid} (${details.join(', ')})`;
}

function lockLost(shown: string, reason: string): LockError {
  return new LockError(`cannot lock ${shown}: this run's lock connection to PostgreSQL was lost (${reason})`, {
    hint: 'nothing was written to it; once the database is reachable again, `tspipe retry` runs the nodes that did not finish',
  });
}

/**
 * The locks of one run: a session-level advisory lock per relation the run writes,
 * taken just before writing it and released when its node is done, all on one
 * dedicated connection (not a pool slot). If that connection dies, the server drops
 * every lock with it, so a killed run never leaves a relation locked.
 *
 * If the connection dies mid-run, nodes already writing finish (each still swaps its
 * relation atomically) but every later lockRelation fails, with the reason.
 *
 * Session-level advisory locks are re-entrant: two nodes of one run locking one
 * relation both get it (a run never waits for itself).
 */
export function pgRunLocks(client: Client, options: RunLockOptions): RunLocks {
  const held = new Map<string, number>();
  let ended = false;
  // Why the lock connection died, if it did: the server has dropped every lock with it, so
  // nodes still running are unguarded and no new node may start writing.
  let lost: string | undefined;
  const onLost = (reason: string) => {
    if (ended || lost) return;
    lost = reason;
    options.onLost?.(reason);
  };
  client.on('error', (error) => onLost(error.message));
  client.on('end', () => onLost('the server closed the connection'));

  async function lockRelation(relation: RelationRef): Promise<() => Promise<void>> {
    const key = `${quoteIdentifier(relation.schema)}.${quoteIdentifier(relation.name)}`;
    const shown = `${relation.schema}.${relation.name}`;
    for (let attempt = 0; ; attempt++) {
      if (lost) throw lockLost(shown, lost);
      const { rows } = await client.query<{ ok: boolean }>(TRY_LOCK, [LOCK_CLASS, key]).catch((error: Error) => {
        onLost(error.message);
        throw lockLost(shown, lost ?? error.message);
      });
      if (rows[0]?.ok) break;
      const holder = describeHolder((await client.query<HolderRow>(HOLDER, [LOCK_CLASS, key])).rows[0]);
      if (!options.wait) {
        throw new LockError(`${shown} is being written by another run: lock held by ${holder}`, {
          hint: 'wait for that run to finish, or run without --no-wait to queue behind it',
        });
      }
      if (attempt === 0) options.onWait?.(holder, shown);
      await sleep(POLL_MS[Math.min(attempt, POLL_MS.length - 1)]);
    }
    held.set(key, (held.get(key) ?? 0) + 1);
    let released = false;
    return async () => {
      if (released || ended) return;
      released = true;
      const count = (held.get(key) ?? 1) - 1;
      if (count) held.set(key, count);
      else held.delete(key);
      // A dead session has dropped the lock already.
      await client.query(UNLOCK, [LOCK_CLASS, key]).catch(() => undefined);
    };
  }

  return {
    lockRelation,
    async release() {
      if (ended) return;
      ended = true;
      // Ending the session drops every lock it still holds.
      await client.end().catch(() => undefined);
    },
  };
}
