import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/processes.js';
import { runReadmeExample } from '../../../test-support/readme.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('README examples', () => {
  it('http-phases prints five phases that add up to the total, the wait in processing', () => {
    const run = runReadmeExample(packageDir, 'http-phases');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const phases: Record<string, number> = Object.fromEntries(
      lines.slice(0, 5).map((line) => {
        const [phase, ms] = line.split(/\s+/);
        return [phase, Number(ms)];
      }),
    );
    expect(Object.keys(phases)).toEqual(['resolve', 'connect', 'tls', 'processing', 'transfer']);
    // The server waits 50 ms: at least 49 ms of processing (timers may fire 1 ms early).
    expect(phases.processing).toBeGreaterThanOrEqual(49);
    const total = /^total\s+([\d.]+) ms, status 200, 5 bytes$/.exec(lines[5]!);
    expect(total).not.toBeNull();
    const sum = Object.values(phases).reduce((a, b) => a + b, 0);
    // Each figure is rounded to 0.1 ms: the sum is within 0.3 ms of the total.
    expect(Math.abs(sum - Number(total![1]))).toBeLessThanOrEqual(0.3);
  });

  it('health-probe shows the probe succeeded in Prometheus text and the success rate', () => {
    const run = runReadmeExample(packageDir, 'health-probe');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      'probe_success{kind="http",target="health"} 1',
      'probe_http_status_code{target="health"} 200',
      'attempts=1 successRatio=1',
    ]);
  });

  it('database-port measures a listening port and reports a refused one', async () => {
    const database = createServer((socket) => socket.resume());
    servers.push(database);
    await new Promise<void>((resolve) => database.listen(0, '127.0.0.1', resolve));
    const port = (database.address() as { port: number }).port;
    const up = runReadmeExample(packageDir, 'database-port', {
      env: { DB_HOST: '127.0.0.1', DB_PORT: String(port) },
    });
    expect(up.stderr).toBe('');
    expect(up.stdout).toMatch(new RegExp(`^connect latency \\d+\\.\\d\\d ms to 127\\.0\\.0\\.1:${port}\\n$`));
    const closed = await freePort();
    const down = runReadmeExample(packageDir, 'database-port', {
      env: { DB_HOST: '127.0.0.1', DB_PORT: String(closed) },
    });
    expect(down.stderr).toBe('');
    expect(down.stdout).toBe('database unreachable: {"refused":1}\n');
  });

  it('custom-lookup resolves a name from its table and counts an unknown one as dns, without DNS', () => {
    const run = runReadmeExample(packageDir, 'custom-lookup');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('api.internal: status 200\ndb.internal: {"dns":1}\n');
  });

  it("pool-stats exports the Agent's pool per origin", () => {
    const run = runReadmeExample(packageDir, 'pool-stats');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const values = Object.fromEntries(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => {
          const match = /^undici_pool_(\w+)\{name="backend",origin="http:\/\/127\.0\.0\.1:\d+"\} (\d+)$/.exec(
            line,
          );
          expect(match, line).not.toBeNull();
          return [match![1], Number(match![2])];
        }),
    );
    expect(values).toMatchObject({ connected: 3, pending: 0, queued: 0, running: 0, size: 0 });
    expect(values.free).toBeGreaterThanOrEqual(0);
    expect(values.free).toBeLessThanOrEqual(3);
  });
});
