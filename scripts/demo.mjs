#!/usr/bin/env node
// `pnpm demo [-- flags]`: builds the demo and what it depends on, then runs it with the flags.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const build = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', '--filter=@fw0/demo...', '--output-logs=errors-only'],
  { cwd: root, stdio: 'inherit', env },
);
if (build.status !== 0) process.exit(build.status ?? 1);
const demo = spawnSync(process.execPath, [join(root, 'apps', 'demo', 'dist', 'main.js'), ...args], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(demo.status ?? 1);
