/**
 * dbt's pre-hook and post-hook: SQL (Jinja) a model or seed runs before and after it
 * is built. A hook is a string or {sql, transaction}; by default it runs inside the
 * node's transaction, so a failing post-hook rolls the build back. Rendered when it
 * runs, in the node's context.
 */
import type { DbSession } from '../contract/index.js';
import { isObject } from '../config/folder-config.js';

export interface HookSpec {
  sql: string;
  transaction: boolean;
}

/** A node config's `pre-hook`/`post-hook` (dbt also accepts pre_hook/post_hook) as a list. */
export function hooksOf(config: Record<string, unknown>, when: 'pre' | 'post'): HookSpec[] {
  const value = config[`${when}-hook`] ?? config[`${when}_hook`];
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((hook): HookSpec[] => {
    if (typeof hook === 'string') return hook.trim() ? [{ sql: hook, transaction: true }] : [];
    if (isObject(hook) && typeof hook.sql === 'string') return [{ sql: hook.sql, transaction: hook.transaction !== false }];
    return [];
  });
}

/** Renders each hook and runs what it renders (a hook may also act through adapter calls while rendering). */
export async function runHooks(hooks: HookSpec[], render: (sql: string) => Promise<string>, session: DbSession): Promise<void> {
  for (const hook of hooks) {
    const sql = (await render(hook.sql)).trim();
    if (sql) await session.exec(sql);
  }
}
