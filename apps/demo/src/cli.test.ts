import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseExposition } from '@fw0/metrics-core';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory, waitFor } from '../../../test-support/processes.js';
import { HELP, parseCli, UsageError } from './cli.js';
import { startDemo } from './test-support/demo-process.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const directory = temporaryDirectory('fw0-demo-config');
afterAll(() => directory.remove());

function run(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function configFile(name: string, content: unknown): string {
  const path = `${directory.path}/${name}.json`;
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('demo command line', () => {
  it('--help documents every flag and exits 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    for (const flag of [
      '--host',
      '--port',
      '--duration',
      '--config',
      '--interval',
      '--workers',
      '--extra-series',
      '--no-workload',
      '--no-live',
      '--help',
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).toBe(`${HELP}\n`);
  });

  it('a bad flag gets a clear message and exit code 2', () => {
    const unknown = run(['--colour']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--colour'");
    expect(unknown.stderr).toContain('--help');
    const badPort = run(['--port', 'eighty']);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toContain('--port must be an integer from 0 to 65535 (got "eighty")');
    const badDuration = run(['--duration', '-1']);
    expect(badDuration.status).toBe(2);
    expect(badDuration.stderr).toContain('--duration');
  });

  it('validates the configuration file with errors naming the field', () => {
    const cases: [unknown, string][] = [
      ['{ not json', 'is not valid JSON'],
      [{ port: 'x' }, 'port must be an integer from 0 to 65535 (got "x")'],
      [{ colour: 1 }, 'unknown field colour'],
      [{ system: { intervalSeconds: 0 } }, 'system.intervalSeconds must be a number above 0'],
      [{ probes: [{ kind: 'ftp', url: 'ftp://x' }] }, 'probes[0].kind must be "http" or "tcp"'],
      [{ extraSeries: -1 }, 'extraSeries must be an integer from 0 to 1000000 (got -1)'],
      [{ extraSeries: 1_000_001 }, 'extraSeries must be an integer from 0 to 1000000 (got 1000001)'],
      [{ extraSeries: 2.5 }, 'extraSeries must be an integer from 0 to 1000000 (got 2.5)'],
      [{ extraSeries: '10' }, 'extraSeries must be an integer from 0 to 1000000 (got "10")'],
      [{ runtime: { intervalMs: 5 } }, 'runtime.intervalMs must be an integer from 10 to 3600000 (got 5)'],
      [
        { probes: [{ kind: 'http', url: 'file:///etc/passwd' }] },
        'probes[0].url must be an http: or https: URL',
      ],
      [
        { probes: [{ kind: 'tcp', host: '127.0.0.1', port: 70000 }] },
        'probes[0].port must be an integer from 1 to 65535',
      ],
      [{ host: 'not a host' }, 'host must be an IP address or a host name (got "not a host")'],
      [{ host: '[::1]' }, 'host must be an IP address or a host name'],
      [
        { probes: [{ kind: 'tcp', host: 'db;rm', port: 5432 }] },
        'probes[0].host must be an IP address (IPv6 with or without brackets) or a host name (got "db;rm")',
      ],
      [
        { probes: [{ kind: 'http', url: 'http://127.0.0.1/', target: '' }] },
        'probes[0].target must be a non-empty string of valid Unicode, at most 200 characters',
      ],
      [
        { probes: [{ kind: 'http', url: 'http://127.0.0.1/', target: 'x'.repeat(201) }] },
        'probes[0].target must be a non-empty string of valid Unicode, at most 200 characters (got "xxx',
      ],
      [
        `{"probes":[{"kind":"tcp","host":"::1","port":1,"target":"a\\ud800b"}]}`,
        'probes[0].target must be a non-empty string of valid Unicode',
      ],
      [
        { probes: Array.from({ length: 101 }, () => ({ kind: 'tcp', host: '127.0.0.1', port: 1 })) },
        'probes must be an array of at most 100 probes (got [{"kind":"tcp"',
      ],
    ];
    for (const [index, [content, message]] of cases.entries()) {
      const path = configFile(`bad${index}`, content);
      expect(() => parseCli(['--config', path]), message).toThrow(UsageError);
      expect(() => parseCli(['--config', path])).toThrow(message);
    }
    const missing = run(['--config', `${directory.path}/missing.json`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read config');
    const badHost = run(['--host', 'my host']);
    expect(badHost.status).toBe(2);
    expect(badHost.stderr).toContain('--host must be an IP address or a host name (got "my host")');
  });

  it('an error about a huge value stays short', () => {
    const path = configFile('huge', { host: 'h'.repeat(1_000_000) });
    let message = '';
    try {
      parseCli(['--config', path]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('host must be an IP address or a host name (got "hhh');
    expect(message).toContain('(1000002 characters)');
    expect(message.length).toBeLessThan(400);
  });

  it('two configured probes with one target label: exit code 2, before anything is served', () => {
    const path = configFile('duplicate', {
      system: { enabled: false },
      workload: { enabled: false },
      probes: [
        { kind: 'tcp', host: '127.0.0.1', port: 9, target: 'twice' },
        { kind: 'tcp', host: '::1', port: 9, target: 'twice' },
      ],
    });
    const result = run(['--config', path, '--port', '0', '--no-live']);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('fw0-demo: probes: Target "tcp twice" is already being probed');
    expect(result.stdout).not.toContain('dashboard');
  });

  it('a configuration file takes effect: its probes run, system.enabled:false leaves out the host', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end('ok\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const path = configFile('running', {
      system: { enabled: false },
      workload: { enabled: false },
      probes: [
        { kind: 'http', url: `http://127.0.0.1:${port}/ready`, target: 'configured-http', intervalMs: 200 },
        { kind: 'tcp', host: '127.0.0.1', port, target: 'configured-tcp', intervalMs: 200 },
      ],
    });
    const demo = await startDemo(['--config', path]);
    try {
      const attempts = async () => {
        const parsed = parseExposition(await (await fetch(`${demo.url}metrics`)).text());
        const samples = parsed.families.flatMap((family) => family.samples);
        const value = (name: string, target: string) =>
          samples.find((sample) => sample.name === name && sample.labels.target === target)?.value;
        return { samples, value };
      };
      // Probed again and again, every 200 ms: the attempts and the server's requests grow.
      await waitFor(
        'three probes of each configured target',
        async () => {
          const { value } = await attempts();
          return (
            (value('probe_attempts_total', 'configured-http') ?? 0) >= 3 &&
            (value('probe_attempts_total', 'configured-tcp') ?? 0) >= 3
          );
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      expect(requests).toBeGreaterThanOrEqual(3);
      const { samples, value } = await attempts();
      expect(value('probe_success', 'configured-http')).toBe(1);
      expect(value('probe_success', 'configured-tcp')).toBe(1);
      expect(value('probe_http_status_code', 'configured-http')).toBe(200);
      // No host collection: no node_exporter or system series at all; runtime and probes remain.
      const names = new Set(samples.map((sample) => sample.name));
      expect([...names].filter((name) => name.startsWith('node_') || name.startsWith('system_'))).toEqual([]);
      expect(names).toContain('nodejs_heap_size_used_bytes');
      // No workload either: no shop series.
      expect([...names].filter((name) => name.startsWith('shop_'))).toEqual([]);
    } finally {
      await demo.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('merges the file, then the flags, over the defaults', () => {
    const path = configFile('good', {
      port: 9999,
      workload: { requestsPerSecond: 5 },
      probes: [{ kind: 'tcp', host: '127.0.0.1', port: 5432, intervalMs: 10_000 }],
    });
    const options = parseCli(['--config', path, '--port', '0', '--interval', '2', '--no-workload']);
    expect(options.config).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      system: { enabled: true, intervalSeconds: 2 },
      workload: { enabled: false, requestsPerSecond: 5 },
      probes: [{ kind: 'tcp', host: '127.0.0.1', port: 5432, intervalMs: 10_000, timeoutMs: 2000 }],
    });
  });

  it('--extra-series takes an integer from 0 to 1,000,000, default 0, from the file or the flag', () => {
    expect(parseCli([]).config.extraSeries).toBe(0);
    expect(parseCli(['--extra-series', '10000']).config.extraSeries).toBe(10_000);
    expect(parseCli(['--extra-series', '0']).config.extraSeries).toBe(0);
    expect(parseCli(['--extra-series', '1000000']).config.extraSeries).toBe(1_000_000);
    const path = configFile('extra', { extraSeries: 500, runtime: { intervalMs: 1000 } });
    expect(parseCli(['--config', path]).config).toMatchObject({
      extraSeries: 500,
      runtime: { enabled: true, intervalMs: 1000 },
    });
    // The flag wins over the file.
    expect(parseCli(['--config', path, '--extra-series', '7']).config.extraSeries).toBe(7);
    for (const bad of ['-1', '1000001', '2.5', 'many', '', '1e7']) {
      // `=` form: parseArgs would take "-1" after a space for a flag of its own.
      expect(() => parseCli([`--extra-series=${bad}`]), bad).toThrow(UsageError);
      expect(() => parseCli([`--extra-series=${bad}`]), bad).toThrow(
        `--extra-series must be an integer from 0 to 1000000 (got "${bad}")`,
      );
    }
    const result = run(['--extra-series', 'lots']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--extra-series must be an integer from 0 to 1000000 (got "lots")');
  });
});
