import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess, temporaryDirectory, waitFor } from '../../../test-support/processes.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const copy = temporaryDirectory('fw0-generator');
/** Terminal colour codes (ESC [ ... m). */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
afterAll(() => copy.remove());

function run(command: string, args: string[], timeoutMs = 300_000) {
  const result = spawnSync(command, args, {
    cwd: copy.path,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FW0_OFFLINE: '1', CI: 'true', NO_COLOR: '1' },
  });
  // Without colour codes, so the output can be matched.
  return { status: result.status, output: `${result.stdout}${result.stderr}`.replace(ANSI_COLOUR, '') };
}

describe('pnpm new:collector, in a temporary copy of the repository', () => {
  it('creates a package that builds, tests, lints and appears in the demo', async () => {
    // The repository as git sees it (tracked, and new files not ignored): no node_modules, no dist.
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(copy.path, file)), { recursive: true });
      try {
        copyFileSync(join(root, file), join(copy.path, file));
      } catch {
        // A file deleted in the working tree but still in the index.
      }
    }
    const install = run('pnpm', ['install', '--offline', '--frozen-lockfile']);
    expect(install.status, install.output).toBe(0);

    const generate = run('pnpm', ['new:collector', 'queue-depth']);
    expect(generate.status, generate.output).toBe(0);
    expect(generate.output).toContain(
      'Created packages/queue-depth (@fw0/metrics-queue-depth), added to the demo.',
    );

    const build = run('pnpm', [
      'exec',
      'turbo',
      'run',
      'build',
      'typecheck',
      'lint',
      '--filter=@fw0/metrics-queue-depth...',
      '--filter=@fw0/demo...',
    ]);
    expect(build.status, build.output).toBe(0);
    const test = run('pnpm', ['--filter', '@fw0/metrics-queue-depth', 'test']);
    expect(test.status, test.output).toBe(0);
    expect(test.output).toMatch(/Tests +4 passed/);

    const demo = startProcess(process.execPath, [
      join(copy.path, 'apps/demo/dist/main.js'),
      '--port',
      '0',
      '--no-workload',
      '--no-live',
      '--duration',
      '20',
    ]);
    try {
      let url = '';
      await waitFor(
        'the demo to serve',
        () => {
          url = /dashboard {2}(http:\/\/127\.0\.0\.1:\d+\/)/.exec(demo.output())?.[1] ?? '';
          return url !== '';
        },
        { timeoutMs: 60_000 },
      );
      let text = '';
      await waitFor(
        'the generated collector in /metrics',
        async () => {
          text = await (await fetch(`${url}metrics`)).text();
          return /^queue_depth_readings_total \d+/m.test(text);
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(text).toMatch(/^queue_depth_value \d/m);
    } finally {
      await demo.stop();
    }
  }, 600_000);
});
