#!/usr/bin/env node
import cluster from 'node:cluster';
import { HELP, parseCli, UsageError } from './cli.js';
import type { Demo } from './demo.js';
import { finalReport, liveLine, progressBar } from './terminal.js';

/** Runs the demo; resolves to the process exit code (0 done, 1 failed, 2 bad usage). */
async function main(argv: readonly string[]): Promise<number> {
  let options: ReturnType<typeof parseCli>;
  let demo: Demo;
  let started: number;
  try {
    options = parseCli(argv);
    if (options.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    // Loaded only now: --help and a usage error answer without loading the collectors.
    const { Demo } = await import('./demo.js');
    started = Date.now();
    demo = await Demo.start(options.config);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fw0-demo: ${error.message}\nRun with --help to see every option.\n`);
      return 2;
    }
    throw error;
  }
  const url = demo.web.url;
  process.stdout.write(
    `fw0 demo running (${options.config.workers > 0 ? `${options.config.workers} workers` : 'one process'})\n` +
      `  dashboard  ${url}\n  metrics    ${url}metrics  (Prometheus text; OpenMetrics by Accept)\n` +
      `  snapshot   ${url}api/snapshot\n  stream     ${url}api/stream\n` +
      (options.durationSeconds === undefined ? 'Press Ctrl-C to stop.\n' : ''),
  );

  const tty = process.stdout.isTTY === true;
  const status = setInterval(() => {
    const frame = demo.latestFrame();
    const elapsed = (Date.now() - started) / 1000;
    const parts: string[] = [];
    if (options.durationSeconds !== undefined) parts.push(progressBar(elapsed, options.durationSeconds));
    if (options.live && frame !== undefined) parts.push(liveLine(frame));
    if (parts.length === 0) return;
    // On a terminal the line is rewritten in place; in a log each update is its own line.
    process.stdout.write(tty ? `\r\u001b[2K${parts.join('  ')}` : `${parts.join('  ')}\n`);
  }, 1000);

  const finished = new Promise<void>((resolve) => {
    if (options.durationSeconds !== undefined) setTimeout(resolve, options.durationSeconds * 1000);
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await finished;
  clearInterval(status);
  const frame = demo.latestFrame();
  await demo.stop();
  process.stdout.write(`${tty ? '\n' : ''}\n${finalReport(frame, (Date.now() - started) / 1000)}\n`);
  return 0;
}

if (cluster.isWorker) {
  const { runWorker } = await import('./demo.js');
  await runWorker();
} else {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `fw0-demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
