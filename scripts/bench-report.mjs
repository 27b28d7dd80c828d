#!/usr/bin/env node
// `pnpm bench:report`: runs every package's benchmark once, one package at a time (the same runs
// as `pnpm bench`), and writes docs/performance.md: the machine, the command, every target with
// its verdict, then each package's output verbatim (our figures, the anchors' figures from the
// same process, the ratios, the accuracy figures).
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
const verdicts = [];
const started = new Date();
const load = loadavg();
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
  // Every benchmark prints its targets as `- PASS ...` / `- FAIL ...` lines.
  for (const line of run.stdout.split('\n')) {
    const match = /^- (PASS|FAIL) (.*)$/.exec(line);
    if (match) verdicts.push({ name: manifest.name, verdict: match[1], text: match[2] });
  }
  if (run.status !== 0) verdicts.push({ name: manifest.name, verdict: 'FAIL', text: `exit ${run.status}` });
  sections.push(
    `## ${manifest.name}\n\n\`pnpm --filter ${manifest.name} bench\` (${seconds} s, exit ${run.status})\n\n${run.stdout.trim()}\n${
      run.status === 0 ? '' : `\n\`\`\`text\n${run.stderr.trim().slice(-4000)}\n\`\`\`\n`
    }`,
  );
}

const passed = verdicts.filter((item) => item.verdict === 'PASS').length;
const header = [
  '# Performance: one run of every benchmark',
  '',
  'Written by `pnpm bench:report` (scripts/bench-report.mjs), which runs `pnpm bench` of every package',
  'one after the other, each in its own process with its anchors (prom-client, OpenTelemetry,',
  'systeminformation, node_exporter, curl, psutil...) measured side by side in that same process.',
  'Figures are medians unless a table says otherwise; a ratio is `anchor / fw0` for times (above 1',
  'means fw0 is faster). Output below is as printed. `pnpm bench` prints the same without writing',
  'this file. Expect about 10% movement between runs on this 2-core machine.',
  '',
  `- Date: ${started.toISOString()}`,
  `- Machine: ${cpu[0]?.model ?? 'unknown CPU'} x ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at start ${load
    .map((value) => value.toFixed(2))
    .join(' ')}`,
  `- Runtime: Node ${process.version}`,
  `- Command: \`pnpm bench:report\``,
  '',
  `## Targets: ${passed} of ${verdicts.length} met`,
  '',
  '| package | verdict | target: figures |',
  '|---|---|---|',
  ...verdicts.map((item) => `| ${item.name} | ${item.verdict} | ${item.text.replaceAll('|', '\\|')} |`),
  '',
].join('\n');
writeFileSync(join(root, 'docs', 'performance.md'), `${header}\n${sections.join('\n\n')}\n`);
console.log(`\nWrote docs/performance.md: ${passed} of ${verdicts.length} targets met`);
process.exit(passed === verdicts.length ? 0 : 1);
