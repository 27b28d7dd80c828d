import { parseArgs } from 'node:util';
import {
  type DemoConfig,
  defaultConfig,
  isHost,
  loadConfigFile,
  MAX_EXTRA_SERIES,
  mergeConfig,
  type PartialDemoConfig,
} from './config.js';
import { UsageError } from './usage-error.js';

export { UsageError } from './usage-error.js';

/** Parsed command line: what to run and how to report. */
export interface CliOptions {
  readonly config: DemoConfig;
  /** Run this many seconds, then print the report and exit 0; undefined: until Ctrl-C. */
  readonly durationSeconds: number | undefined;
  /** Live terminal summary (default on a TTY). */
  readonly live: boolean;
  readonly help: boolean;
}

export const HELP = `fw0-demo: every fw0 metrics collector in one registry, served on loopback.

Usage: pnpm demo [-- options]      (or: node apps/demo/dist/main.js [options])

Options:
  --host <address>       address to serve on (default 127.0.0.1)
  --port <port>          port of the dashboard and /metrics (default 9464; 0 picks a free one)
  --duration <seconds>   run this long with a progress bar, print a report, exit 0
  --config <file>        JSON configuration (what to collect and probe); flags override it
  --interval <seconds>   system collection interval (default 1)
  --workers <n>          run the workload in n cluster workers; /metrics merges them (default 0)
  --extra-series <n>     n more series in /metrics, demo_extra_series{shard}, for load tests
                         (0 to 1000000, default 0)
  --no-workload          collectors only, no synthetic workload
  --no-live              no live summary in the terminal
  --help                 this help

Pages: /  live dashboard   /metrics  Prometheus text or OpenMetrics   /api/snapshot  JSON
       /api/stream  Server-Sent Events (one frame a second)`;

/** A non-negative number written in decimal: `5`, `0.5`. */
const DECIMAL = /^\d+(\.\d+)?$/;

function number(
  flag: string,
  text: string | undefined,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (
    // Plain decimal notation only: Number() would also take " 5", "0x10" and "1e3".
    !DECIMAL.test(text) ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `--${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${text}")`,
    );
  }
  return value;
}

function host(text: string): string {
  if (!isHost(text, false))
    throw new UsageError(`--host must be an IP address or a host name (got ${JSON.stringify(text)})`);
  return text;
}

/** Parses argv (without node and the script). Throws UsageError for anything wrong. */
export function parseCli(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: false; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message.replace(/\. To specify.*$/s, '') : String(error),
    );
  }
  const values = parsed.values;
  if (values.help) return { config: defaultConfig(), durationSeconds: undefined, live: false, help: true };
  const fromFile: PartialDemoConfig = values.config === undefined ? {} : loadConfigFile(values.config);
  const overrides: PartialDemoConfig = {
    ...(values.host === undefined ? {} : { host: host(values.host) }),
    ...(values.port === undefined ? {} : { port: number('port', values.port, 0, 65_535, true)! }),
    ...(values.workers === undefined ? {} : { workers: number('workers', values.workers, 0, 64, true)! }),
    ...(values.interval === undefined
      ? {}
      : { system: { intervalSeconds: number('interval', values.interval, 0.1, 3600, false)! } }),
    ...(values['no-workload'] ? { workload: { enabled: false } } : {}),
    ...(values['extra-series'] === undefined
      ? {}
      : { extraSeries: number('extra-series', values['extra-series'], 0, MAX_EXTRA_SERIES, true)! }),
  };
  const durationSeconds = number('duration', values.duration, 1, 86_400, false);
  return {
    config: mergeConfig(mergeConfig(defaultConfig(), fromFile), overrides),
    durationSeconds,
    live: !values['no-live'] && process.stdout.isTTY === true,
    help: false,
  };
}

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  duration: { type: 'string' },
  config: { type: 'string' },
  interval: { type: 'string' },
  workers: { type: 'string' },
  'extra-series': { type: 'string' },
  'no-workload': { type: 'boolean' },
  'no-live': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;
