import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../test-support/processes.js';
import { HELP, parseCli, UsageError } from './cli.js';

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
    ];
    for (const [index, [content, message]] of cases.entries()) {
      const path = configFile(`bad${index}`, content);
      expect(() => parseCli(['--config', path]), message).toThrow(UsageError);
      expect(() => parseCli(['--config', path])).toThrow(message);
    }
    const missing = run(['--config', `${directory.path}/missing.json`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read config');
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
