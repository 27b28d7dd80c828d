#!/usr/bin/env node
// `pnpm bench:report`: runs every package's benchmark once, one package at a time (the same
// runs as `pnpm bench`), and writes their output, verbatim, with the machine and the command,
// to docs/benchmarks.md. docs/performance.md summarises that file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' };

const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
  env,
});
if (build.status !== 0) process.exit(build.status ?? 1);

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((directory) => existsSync(join(directory, 'package.json')))
  .map((directory) => ({
    directory,
    manifest: JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => manifest.scripts?.bench);

const cpu = cpus();
const sections = [];
const started = new Date();
for (const { directory, manifest } of packages) {
  console.log(`\n=== ${manifest.name} ===`);
  const began = Date.now();
  const run = spawnSync('pnpm', ['run', '--silent', 'bench'], {
    cwd: directory,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  const seconds = ((Date.now() - began) / 1000).toFixed(0);
  sections.push(
    `## ${manifest.name}\n\n\`pnpm --filter ${manifest.name} bench\` (${seconds} s, exit ${run.status})\n\n${run.stdout.trim()}\n${
      run.status === 0 ? '' : `\n\`\`\`text\n${run.stderr.trim().slice(-4000)}\n\`\`\`\n`
    }`,
  );
}

const header = [
  '# Benchmarks: one run of `pnpm bench`',
  '',
  'Written by `pnpm bench:report` (scripts/bench-report.mjs): every package benchmark, one after the',
  'other in separate processes, each with its anchors side by side in the same process. Output as',
  'printed. A summary with comments is in [performance.md](performance.md).',
  '',
  `- Date: ${started.toISOString()}`,
  `- Machine: ${cpu[0]?.model ?? 'unknown CPU'} x ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at start ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
  `- Runtime: Node ${process.version}`,
  '',
].join('\n');
writeFileSync(join(root, 'docs', 'benchmarks.md'), `${header}\n${sections.join('\n\n')}\n`);
console.log('\nWrote docs/benchmarks.md');
