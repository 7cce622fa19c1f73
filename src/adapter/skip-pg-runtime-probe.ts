/**
 * pg 8 asks at load time whether it runs in a Cloudflare Worker; on Node 20 (no
 * `navigator`) it does so by constructing a `Response`, which loads Node's whole fetch
 * implementation (undici): about 15 ms of every PostgreSQL command's start-up. Imported
 * just before pg: `Response` reads as undefined while the importing module graph
 * evaluates (one synchronous job), and is put back as it was right after.
 */
const descriptor = 'navigator' in globalThis ? undefined : Object.getOwnPropertyDescriptor(globalThis, 'Response');
if (descriptor?.configurable) {
  Object.defineProperty(globalThis, 'Response', { value: undefined, configurable: true, writable: true });
  queueMicrotask(() => Object.defineProperty(globalThis, 'Response', descriptor));
}
