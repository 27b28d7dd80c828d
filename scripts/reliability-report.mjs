#!/usr/bin/env node
// `pnpm reliability:report [--soak-seconds 600] [--load-seconds 30]`: runs the load test, the
// soak, and the fault, shutdown and fuzz suites of apps/reliability, one after the other, and
// writes their figures, as printed, to docs/reliability.md with the machine and the commands.
// Takes about 14 minutes with the defaults. Exit code 1 when any part failed.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOrExit, machineAtStart, machineLines, root, runEchoed } from './report-support.mjs';

const reliability = join(root, 'apps', 'reliability');
const { values } = parseArgs({
  options: {
    'soak-seconds': { type: 'string', default: '600' },
    'load-seconds': { type: 'string', default: '30' },
  },
});

/** Runs a command in apps/reliability, echoing and returning its output. */
function run(title, command, args) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')} ===`);
  return runEchoed(reliability, command, args);
}

buildOrExit(['--filter=@fw0/demo...']);

const machine = machineAtStart();
const failures = [];
const sections = [];
/** Terminal colour codes (ESC [ ... m), built without a control character in a regex literal. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const fence = (text) => `\`\`\`text\n${text.trim()}\n\`\`\``;

const loadRun = run('load', 'pnpm', [
  'run',
  '--silent',
  'load',
  '--seconds',
  values['load-seconds'],
  '--no-build',
]);
if (loadRun.status !== 0) failures.push(`load: exit ${loadRun.status}`);
sections.push(
  `## Load: \`pnpm load --seconds ${values['load-seconds']}\` (${loadRun.seconds} s, exit ${loadRun.status})\n\n` +
    'wrk (Debian), a second process on loopback, one thread and 4 connections, against `/metrics` of the\n' +
    'built demo running its usual workload plus 10,000 filler series (`--extra-series 10000`). The\n' +
    "event-loop figures are the demo's own `nodejs_eventloop_lag_*` over one-second windows, idle first\n" +
    'and then under load.\n\n' +
    fence(loadRun.stdout),
);

const soakRun = run('soak', 'pnpm', ['run', '--silent', 'soak', '--seconds', values['soak-seconds']]);
if (soakRun.status !== 0) failures.push(`soak: exit ${soakRun.status}`);
sections.push(
  `## Soak: \`pnpm soak --seconds ${values['soak-seconds']}\` (${soakRun.seconds} s, exit ${soakRun.status})\n\n` +
    'Every collector in one process: system collection every second, HTTP and TCP probes of a local\n' +
    'server, timed functions and custom metrics in a busy loop, a scrape of `/metrics` every second;\n' +
    'heap (after a forced gc) and RSS sampled throughout. The verdict compares the samples after the\n' +
    'warm-up with the bounds printed in the table.\n\n' +
    fence(soakRun.stdout),
);

const suites = run('faults, shutdown and fuzz', 'pnpm', [
  'exec',
  'vitest',
  'run',
  'src/faults',
  'src/shutdown',
  'src/fuzz',
  '--reporter=default',
]);
if (suites.status !== 0) failures.push(`fault, shutdown and fuzz suites: exit ${suites.status}`);
// Each scenario prints one line of figures, tagged [faults/<area>] or [shutdown].
const figures = suites.stdout
  .split('\n')
  .map((line) => line.replace(ANSI_COLOUR, ''))
  .filter((line) => /^\[(faults\/[a-z]+|shutdown)\]/.test(line));
const summary = suites.stdout
  .split('\n')
  .map((line) => line.replace(ANSI_COLOUR, '').trim())
  .filter((line) => /^(Test Files|Tests)\s/.test(line));
sections.push(
  `## Faults and shutdown: \`pnpm --filter @fw0/reliability exec vitest run src/faults src/shutdown\`\n\n` +
    'Each scenario runs in a child process that must exit by itself with code 0, with no uncaught\n' +
    'exception, unhandled rejection or warning. One line of figures per scenario:\n\n' +
    fence(figures.join('\n')),
);

const reports = join(reliability, '.reports');
const tables = existsSync(reports)
  ? readdirSync(reports)
      .filter((name) => /^fuzz-cases-.*\.json$/.test(name))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(reports, name), 'utf8')))
  : [];
const fuzzRows = tables.flatMap((table) =>
  table.properties.map((property) => `| ${property.name} | ${property.cases} | ${property.milliseconds} |`),
);
const fuzzTotal = tables.reduce((sum, table) => sum + table.totalCases, 0);
sections.push(
  '## Bad input: fast-check over the public entry points\n\n' +
    '`pnpm --filter @fw0/reliability exec vitest run src/fuzz` (seed fixed; `FW0_FUZZ_SEED=<n>` to change it).\n' +
    'Each case must end in the documented result or a typed fw0 error with the documented code,\n' +
    'with no half-updated state.\n\n' +
    `Seed ${tables[0]?.seed ?? 'n/a'}; ${fuzzTotal} cases in all.\n\n` +
    '| property | cases | ms |\n|---|---|---|\n' +
    fuzzRows.join('\n') +
    `\n\nSuites: ${summary.join('; ')}`,
);

const header = [
  '# Reliability: load, soak, faults, shutdown and bad input',
  '',
  'Written by `pnpm reliability:report` (scripts/reliability-report.mjs) from one run of each part,',
  'output as printed. The default `pnpm test` runs shorter versions of the same code (an 8 s load,',
  'a 60 s soak, every fault, shutdown and fuzz test) and asserts the same bounds.',
  '',
  ...machineLines(
    machine,
    `\`pnpm reliability:report\`${failures.length === 0 ? '' : `; failed: ${failures.join(', ')}`}`,
  ),
  '',
].join('\n');
writeFileSync(join(root, 'docs', 'reliability.md'), `${header}\n${sections.join('\n\n')}\n`);
console.log(`\nWrote docs/reliability.md${failures.length === 0 ? '' : ` (failed: ${failures.join(', ')})`}`);
process.exit(failures.length === 0 ? 0 : 1);
