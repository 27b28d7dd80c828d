import type * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricsRegistry } from '../registry.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';

/** Every call of `timingSafeEqual` the handler makes: the lengths of what it compared. */
const comparisons: [number, number][] = [];

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return {
    ...original,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      comparisons.push([a.byteLength, b.byteLength]);
      return original.timingSafeEqual(a, b);
    },
  };
});

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  comparisons.length = 0;
});

describe('bearer token check', () => {
  it('compares in constant time: fixed-length digests through timingSafeEqual, whatever the token given', async () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'jobs_total' }).add();
    server = await startMetricsServer(registry, { port: 0, bearerToken: 's3cret' });
    const tokens = ['', 's', 's3cre', 's3cret', 's3creT', 's3cret-much-longer', 'x'.repeat(5000)];
    const statuses: number[] = [];
    for (const token of tokens) {
      const response = await fetch(server.url, { headers: { Authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    // The empty token never reaches the comparison: the header then reads "Bearer" alone, malformed.
    expect(statuses).toEqual([401, 401, 401, 200, 401, 401, 401]);
    // Every other token, right or wrong, short or long, was compared as a SHA-256 digest against
    // the expected digest: 32 bytes each side, so the time taken says nothing about the token.
    expect(comparisons).toEqual(tokens.slice(1).map(() => [32, 32]));
  });
});
