#!/usr/bin/env node
// `pnpm bench:report`: runs every package's benchmark once, one package at a time (the same runs
// as `pnpm bench`), and writes docs/performance.md: the machine, the command, every target with
// its verdict, then each package's output verbatim (our figures, the anchors' figures from the
// same process, the ratios, the accuracy figures).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOrExit, machineAtStart, machineLines, root, runEchoed } from './report-support.mjs';

/*
 * `pnpm bench:report` runs every package's benchmarks and writes docs/performance.md.
 * `pnpm bench:report --only <package>` (e.g. `--only network`) runs one package and puts its run
 * in place of that package's section and targets in the existing file, saying so in the header:
 * for a change that moves one package's figures, without rerunning (and re-quoting) the rest.
 */
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
if (onlyAt !== -1 && (only === undefined || only.startsWith('-'))) {
  console.error('usage: pnpm bench:report [--only <package>]  (e.g. --only network)');
  process.exit(2);
}
const file = join(root, 'docs', 'performance.md');
const matches = (name) => only === undefined || name === only || name === `@fw0/metrics-${only}`;

buildOrExit();

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((directory) => existsSync(join(directory, 'package.json')))
  .map((directory) => ({
    directory,
    manifest: JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => manifest.scripts?.bench && matches(manifest.name));
if (packages.length === 0) {
  console.error(`No package with benchmarks is named ${only}`);
  process.exit(2);
}

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

const verdictRow = (item) => `| ${item.name} | ${item.verdict} | ${item.text.replaceAll('|', '\\|')} |`;
if (only !== undefined) {
  writeOnly();
} else {
  writeAll();
}

function writeAll() {
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
    ...verdicts.map(verdictRow),
    '',
  ].join('\n');
  writeFileSync(file, `${header}\n${sections.join('\n\n')}\n`);
  finish(passed, verdicts.length);
}

/** Puts the one package's section and targets in place of its old ones in the existing report. */
function writeOnly() {
  if (!existsSync(file)) {
    console.error('docs/performance.md does not exist yet: run pnpm bench:report without --only first');
    process.exit(2);
  }
  const [{ manifest }] = packages;
  const name = manifest.name;
  const lines = readFileSync(file, 'utf8').split('\n');
  // Targets: the other packages' rows as they were, this package's from this run, in package order.
  const rows = lines.filter((line) => /^\| @fw0\/[^ ]+ \| (PASS|FAIL) \|/.test(line));
  const others = rows.filter((line) => !line.startsWith(`| ${name} |`));
  const fresh = verdicts.map(verdictRow);
  const merged = [...others, ...fresh].sort((a, b) => a.split(' | ')[0].localeCompare(b.split(' | ')[0]));
  const passed = merged.filter((line) => line.includes(' | PASS | ')).length;
  const firstRow = lines.findIndex((line) => rows.includes(line));
  const afterRows = lines.findIndex((line, index) => index > firstRow && !rows.includes(line));
  let text = [...lines.slice(0, firstRow), ...merged, ...lines.slice(afterRows)].join('\n');
  text = text.replace(/^## Targets: \d+ of \d+ met$/m, `## Targets: ${passed} of ${merged.length} met`);
  // This package's section, from its heading to the next package's (or the end).
  const start = text.indexOf(`\n## ${name}\n`);
  if (start === -1) {
    console.error(`docs/performance.md has no section for ${name}: run pnpm bench:report without --only`);
    process.exit(2);
  }
  // The next package's heading is `## <name>` alone on its line (its output has `## <name> benchmarks ...`).
  const heading = /\n## @fw0\/[\w-]+\n/g;
  heading.lastIndex = start + 1;
  const next = heading.exec(text)?.index ?? -1;
  text = `${text.slice(0, start + 1)}${sections[0]}\n${next === -1 ? '' : `\n${text.slice(next + 1)}`}`;
  // The header says which section is from a later run, once per package.
  const note = `- ${name} rerun alone: ${machineLines(machine, `\`pnpm bench:report --only ${only}\``)
    .map((line) => line.slice(2))
    .join('; ')}`;
  const headerLines = text.split('\n');
  const kept = headerLines.filter((line) => !line.startsWith(`- ${name} rerun alone: `));
  const commandLine = kept.findIndex((line) => line.startsWith('- Command: '));
  kept.splice(commandLine + 1, 0, note);
  writeFileSync(file, kept.join('\n'));
  finish(passed, merged.length);
}

function finish(passed, total) {
  console.log(`\nWrote docs/performance.md: ${passed} of ${total} targets met`);
  process.exit(passed === total ? 0 : 1);
}
