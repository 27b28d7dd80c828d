#!/usr/bin/env node
// `pnpm soak [--seconds 600] [--sample-every <s>] [--json]`; runs under node --expose-gc.
import { describeFlags, parseFlags, UsageError } from '../support/cli-flags.js';
import { runCommand } from '../support/cli-main.js';
import { formatTable } from '../support/text-table.js';
import { SoakAnalysisError, warmupSeconds } from './analysis.js';
import { formatSoakReport, SAMPLE_HEADERS, sampleRow } from './report.js';
import { runSoak, SoakSetupError } from './soak.js';

const FLAGS = {
  seconds: { kind: 'integer', min: 20, max: 86_400, default: 600, help: 'length of the run' },
  'sample-every': {
    kind: 'integer',
    min: 1,
    max: 3600,
    help: 'seconds between memory samples (default: seconds / 60, at least 1)',
  },
  json: { kind: 'boolean', help: 'print one JSON line (the report) on stdout; progress goes to stderr' },
  'leak-kib-per-second': {
    kind: 'integer',
    min: 0,
    max: 1_000_000,
    default: 0,
    help: 'self-check: retain this much heap a second on purpose, to see the soak fail',
  },
} as const;

const HELP = `pnpm soak: every fw0 collector in one busy process, scraped every second, memory sampled after gc().

Options:
${describeFlags(FLAGS)}

Warm-up: the first 20% of the run or 60 s, whichever is shorter. Exit code 0 when the soak
passed (no error, no memory growth beyond the bounds), 1 when it did not, 2 for bad flags.`;

async function main(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  const sampleEvery = flags['sample-every'] ?? Math.max(1, Math.round(flags.seconds / 60));
  const measured = Math.floor((flags.seconds - warmupSeconds(flags.seconds)) / sampleEvery);
  if (!flags.help && measured < 4) {
    throw new UsageError(
      `--sample-every ${sampleEvery} leaves ${measured} samples after the warm-up of a ${flags.seconds} s run: at least 4 are needed`,
    );
  }
  if (flags.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const progress = flags.json ? process.stderr : process.stdout;
  try {
    progress.write(`fw0 soak: ${flags.seconds} s, a memory sample every ${sampleEvery} s\n`);
    let first = true;
    const report = await runSoak({
      seconds: flags.seconds,
      sampleEverySeconds: sampleEvery,
      leakBytesPerSecond: flags['leak-kib-per-second'] * 1024,
      signal,
      onSample: (sample) => {
        // Live rows, aligned like the final table (widths of the header).
        const table = formatTable(SAMPLE_HEADERS, [sampleRow(sample)]).split('\n');
        progress.write(`${first ? `${table[0]}\n` : ''}${table[2]}\n`);
        first = false;
      },
    });
    process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `\n${formatSoakReport(report)}\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof SoakAnalysisError) {
      // Stopped (Ctrl-C) before enough samples were taken.
      process.stderr.write(`fw0 soak: ${error.message}\n`);
      return 1;
    }
    if (!(error instanceof SoakSetupError)) throw error;
    process.stderr.write(`fw0 soak: ${error.message}\n`);
    return 2;
  }
}

runCommand('soak', main);
