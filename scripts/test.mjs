#!/usr/bin/env node
// The README's test command (`pnpm test`): provides the Debian components the tests run
// against, runs every package's tests through turbo, and ends with the summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) =>
  spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });

if (run(process.execPath, [join(root, 'scripts', 'ensure-test-deps.mjs')]).status !== 0) process.exit(1);

// The generator test links a new package with `pnpm install --offline` (tests talk to loopback
// only). A frozen install leaves pnpm's metadata cache empty, so resolve once here, in setup,
// where the registry may be reached; nothing is installed or changed.
if (run('pnpm', ['install', '--resolution-only', '--prefer-offline', '--silent']).status !== 0) {
  console.error('warning: could not resolve the workspace; the generator test will fail offline');
}

// Stale reports must not count: each run writes its own (turbo restores them on a cache hit).
for (const group of ['packages', 'apps']) {
  const directory = join(root, group);
  if (!existsSync(directory)) continue;
  for (const name of readdirSync(directory))
    rmSync(join(directory, name, '.reports', 'vitest.json'), { force: true });
}

const extra = process.argv.slice(2);
// One package at a time: accuracy tests compare CPU figures with psutil and must not compete for the cores.
run('pnpm', ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=1', ...extra]);
const summary = run(process.execPath, [join(root, 'scripts', 'test-summary.mjs')]);
process.exit(summary.status ?? 1);
