import { describe, expect, it } from 'vitest';

describe('skip-pg-runtime-probe', () => {
  it('leaves Response usable once pg has loaded', async () => {
    await import('../../../src/adapter/pg-driver.js');
    await Promise.resolve();
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'Response');
    expect(descriptor?.configurable).toBe(true);
    expect(typeof Response).toBe('function');
    expect(await new Response('ok').text()).toBe('ok');
  });
});
