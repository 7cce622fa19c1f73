/**
 * Airflow task ids from node names: valid (`[A-Za-z0-9_-]`, at most 250 chars),
 * unique and stable. Dots are left out on purpose: Airflow reads them as task-group
 * separators.
 */
import { createHash } from 'node:crypto';

/** Airflow allows 250; room is kept for a `_<hash>` suffix when two names sanitise alike. */
const BASE_LENGTH = 200;

/** `orders.v2` → `orders_v2`; runs of other characters become one `_`. */
export function sanitizeTaskId(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, BASE_LENGTH) || 'node';
}

export interface TaskIdRequest {
  /** Stable identity of what the task runs (a node's uniqueId, or a synthetic key). */
  key: string;
  /** The id wanted, before sanitising. */
  name: string;
}

/**
 * Assigns one id per key. When several names sanitise to the same id, the one whose
 * name already is that id keeps it (then the smallest key); the others get a suffix
 * hashed from their key, so adding a node never renames an unrelated task.
 */
export function assignTaskIds(requests: readonly TaskIdRequest[]): Map<string, string> {
  const groups = new Map<string, TaskIdRequest[]>();
  for (const request of requests) {
    const id = sanitizeTaskId(request.name);
    const group = groups.get(id);
    if (group) group.push(request);
    else groups.set(id, [request]);
  }
  const ids = new Map<string, string>();
  const taken = new Set(groups.keys());
  for (const [id, group] of [...groups].sort(([a], [b]) => compare(a, b))) {
    group.sort((a, b) => Number(a.name !== id) - Number(b.name !== id) || compare(a.key, b.key));
    ids.set(group[0].key, id);
    for (const request of group.slice(1)) {
      const suffixed = suffixedId(id, request.key, taken);
      taken.add(suffixed);
      ids.set(request.key, suffixed);
    }
  }
  return ids;
}

function suffixedId(id: string, key: string, taken: Set<string>): string {
  const hash = createHash('sha256').update(key).digest('hex');
  for (let length = 6; length <= 32; length += 2) {
    const candidate = `${id}_${hash.slice(0, length)}`;
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`cannot make a unique Airflow task id for ${key}`);
}

/** Code-point order, independent of the machine's locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
