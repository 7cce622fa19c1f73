import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs async sections one at a time, in call order. Re-entrant within one async
 * flow: a section that calls back into the mutex (e.g. adapter.query inside
 * adapter.transaction) runs at once instead of deadlocking on itself.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly owner = new AsyncLocalStorage<Mutex>();

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.owner.getStore() === this) return fn();
    const result = this.tail.then(() => this.owner.run(this, fn));
    // The next section waits for this one to settle, whatever its outcome.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
