#!/usr/bin/env node
// `pnpm bench:report`: runs every package's benchmark once, one package at a time (the same runs
// as `pnpm bench`), and writes docs/performance.md: the machine, the command, every target with
// its verdict, then each package's output verbatim (our figures, the anchors' figures from the
// same process, the ratios, the accuracy figures).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOrExit, machineAtStart, machineLines, root, runEchoed } from './report-support.mjs';

buildOrExit();

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((directory) => existsSync(join(directory, 'package.json')))
  .map((directory) => ({
    directory,
    manifest: JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => manifest.scripts?.bench);

const sections = [];
const verdicts = [];
const machine = machineAtStart();
for (const { directory, manifest } of packages) {
  console.log(`\n=== ${manifest.name} ===`);
  const run = runEchoed(directory, 'pnpm', ['run', '--silent', 'bench']);
  // Every benchmark prints its targets as `- PASS ...` / `- FAIL ...` lines.
  for (const line of run.stdout.split('\n')) {
    const match = /^- (PASS|FAIL) (.*)$/.exec(line);
    if (match) verdicts.push({ name: manifest.name, verdict: match[1], text: match[2] });
  }
  if (run.status !== 0) verdicts.push({ name: manifest.name, verdict: 'FAIL', text: `exit ${run.status}` });
  sections.push(
    `## ${manifest.name}\n\n\`pnpm --filter ${manifest.name} bench\` (${run.seconds} s, exit ${run.status})\n\n${run.stdout.trim()}\n${
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
  ...machineLines(machine, '`pnpm bench:report`'),
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
