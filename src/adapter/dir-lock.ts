import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockError } from '../errors.js';

/**
 * One process per PGlite data directory: a second process on the same directory
 * silently loses its committed writes. The lock is a file next to the directory
 * (`<dir>.lock`, PGlite owns the inside) naming who holds it.
 */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  command: string[];
  /** Linux: the process start time from /proc (tells a live holder from a reused pid). */
  procStart?: string;
}

export interface DirLockOptions {
  wait: boolean;
  onWait?: (holder: string) => void;
  pollMs?: number;
}

export function lockPathFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
export function readProcStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parens: split after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

/** Whether the holder may still be running. Unknown hosts count as alive: we cannot check. */
export function isHolderAlive(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  const bootTime = Date.now() - uptime() * 1000;
  if (Date.parse(holder.startedAt) < bootTime - 60_000) return false; // taken before the last reboot
  if (!pidAlive(holder.pid)) return false;
  const procStart = readProcStart(holder.pid);
  return !(holder.procStart && procStart && procStart !== holder.procStart); // else: pid reused
}

export function describeHolder(holder: LockHolder): string {
  const host = holder.hostname === hostname() ? '' : ` on ${holder.hostname}`;
  return `tspipe pid ${holder.pid}${host} (started ${holder.startedAt}: ${holder.command.join(' ')})`;
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable content cannot name a live holder (files appear complete, see tryCreate).
    return { pid: 0, hostname: hostname(), startedAt: new Date(0).toISOString(), command: [] };
  }
}

/** Atomically creates the lock file with complete content: write a temp file, hard-link it. */
function tryCreate(lockPath: string, holder: LockHolder): boolean {
  const temp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, JSON.stringify(holder, null, 2));
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * Takes the lock of `dataDir`, or waits for it (`wait`), or throws a LockError.
 * A stale lock (its process is gone) is taken over. Returns the release function;
 * the lock is also removed at process exit (not on signals: the next run then finds
 * it stale and takes it over).
 */
export async function acquireDirLock(dataDir: string, options: DirLockOptions): Promise<() => void> {
  const lockPath = lockPathFor(dataDir);
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    command: [path.basename(process.argv[0]), ...process.argv.slice(1)],
    procStart: readProcStart(process.pid),
  };
  let waiting = false;
  for (;;) {
    if (tryCreate(lockPath, me)) break;
    const holder = readHolder(lockPath);
    if (!holder) continue; // released meanwhile
    if (!isHolderAlive(holder)) {
      // A second taker could race us here; the window is milliseconds and needs a crash first.
      try {
        unlinkSync(lockPath);
      } catch {
        /* someone else removed it */
      }
      continue;
    }
    if (!options.wait) {
      throw new LockError(
        `the embedded database ${dataDir} is in use by ${describeHolder(holder)}: wait for it to finish, or run without --no-wait to queue behind it`,
        { hint: `if no tspipe is running there, delete ${lockPath}` },
      );
    }
    if (!waiting) options.onWait?.(describeHolder(holder));
    waiting = true;
    await sleep(options.pollMs ?? 500);
  }

  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const current = readHolder(lockPath);
    if (current?.pid !== me.pid || current.startedAt !== me.startedAt) return; // not ours any more
    try {
      unlinkSync(lockPath);
    } catch {
      /* already gone */
    }
  };
  process.on('exit', release);
  return release;
}
