#!/usr/bin/env node
// `pnpm load [--seconds 30] [--connections 4] [--extra-series 10000] [--json] [--no-build]`
import { describeFlags, parseFlags } from '../support/cli-flags.js';
import { runCommand } from '../support/cli-main.js';
import { runLoad } from './load.js';
import { formatLoadReport } from './report.js';

const FLAGS = {
  seconds: { kind: 'integer', min: 1, max: 3600, default: 30, help: 'seconds of wrk' },
  connections: { kind: 'integer', min: 1, max: 1000, default: 4, help: 'wrk connections (one thread)' },
  'extra-series': {
    kind: 'integer',
    min: 0,
    max: 1_000_000,
    default: 10_000,
    help: "the demo's --extra-series",
  },
  json: { kind: 'boolean', help: 'print one JSON line (the report) instead of the tables' },
  'no-build': { kind: 'boolean', help: 'use apps/demo/dist as it is (no turbo build first)' },
} as const;

const HELP = `pnpm load: wrk against the /metrics of the built demo (usual workload + filler series).

Options:
${describeFlags(FLAGS)}

Exit code 0 when wrk saw no error, 1 when it did (or the run failed), 2 for bad flags.`;

async function main(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const report = await runLoad({
    seconds: flags.seconds,
    connections: flags.connections,
    extraSeries: flags['extra-series'],
    build: !flags['no-build'],
    signal,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatLoadReport(report)}\n`);
  return report.errors === 0 ? 0 : 1;
}

runCommand('load', main);
