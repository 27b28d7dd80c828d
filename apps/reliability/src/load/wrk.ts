import { runBounded } from '../support/bounded-process.js';

/** wrk's output could not be read (not wrk's `--latency` report, or a line missing). */
export class WrkOutputError extends Error {
  override readonly name = 'WrkOutputError';
}

/** wrk did not run to its end (exit code, signal, or killed past its time limit). */
export class WrkRunError extends Error {
  override readonly name = 'WrkRunError';
}

/** What one `wrk --latency` run reports. Times in milliseconds, sizes in bytes. */
export interface WrkResult {
  readonly requests: number;
  readonly durationSeconds: number;
  readonly requestsPerSecond: number;
  readonly bytesRead: number;
  readonly transferBytesPerSecond: number;
  readonly latencyMs: {
    readonly mean: number;
    readonly stdev: number;
    readonly max: number;
    readonly p50: number;
    readonly p75: number;
    readonly p90: number;
    readonly p99: number;
  };
  /** `Socket errors:` line (all 0 when wrk printed none). */
  readonly socketErrors: {
    readonly connect: number;
    readonly read: number;
    readonly write: number;
    readonly timeout: number;
  };
  /** `Non-2xx or 3xx responses:` (0 when wrk printed none). */
  readonly non2xx: number;
}

const TIME_UNITS_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const BYTE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

function milliseconds(value: string, unit: string, line: string): number {
  const factor = TIME_UNITS_MS[unit];
  if (factor === undefined) throw new WrkOutputError(`unknown time unit "${unit}" in wrk line "${line}"`);
  return Number(value) * factor;
}

function bytes(value: string, unit: string, line: string): number {
  const factor = BYTE_UNITS[unit];
  if (factor === undefined) throw new WrkOutputError(`unknown size unit "${unit}" in wrk line "${line}"`);
  return Number(value) * factor;
}

function required(text: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (match === null) throw new WrkOutputError(`wrk output has no ${what} line:\n${text}`);
  return match;
}

/** Reads the report `wrk --latency` prints. Throws {@link WrkOutputError} when a figure is missing. */
export function parseWrkOutput(text: string): WrkResult {
  const latency = required(
    text,
    /^\s*Latency\s+([\d.]+)(us|ms|s|m|h)\s+([\d.]+)(us|ms|s|m|h)\s+([\d.]+)(us|ms|s|m|h)\s/m,
    'Latency',
  );
  const percentile = (label: string) => {
    const match = required(
      text,
      new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm'),
      `${label}% latency`,
    );
    return milliseconds(match[1]!, match[2]!, match[0]);
  };
  const total = required(
    text,
    /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)(B|KB|MB|GB|TB) read\s*$/m,
    '"requests in"',
  );
  const rate = required(text, /^Requests\/sec:\s+([\d.]+)\s*$/m, 'Requests/sec');
  const transfer = required(text, /^Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB|TB)\s*$/m, 'Transfer/sec');
  const socket = /^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*$/m.exec(text);
  const non2xx = /^\s*Non-2xx or 3xx responses: (\d+)\s*$/m.exec(text);
  return {
    requests: Number(total[1]),
    durationSeconds: milliseconds(total[2]!, total[3]!, total[0]) / 1000,
    requestsPerSecond: Number(rate[1]),
    bytesRead: bytes(total[4]!, total[5]!, total[0]),
    transferBytesPerSecond: bytes(transfer[1]!, transfer[2]!, transfer[0]),
    latencyMs: {
      mean: milliseconds(latency[1]!, latency[2]!, latency[0]),
      stdev: milliseconds(latency[3]!, latency[4]!, latency[0]),
      max: milliseconds(latency[5]!, latency[6]!, latency[0]),
      p50: percentile('50'),
      p75: percentile('75'),
      p90: percentile('90'),
      p99: percentile('99'),
    },
    socketErrors: {
      connect: Number(socket?.[1] ?? 0),
      read: Number(socket?.[2] ?? 0),
      write: Number(socket?.[3] ?? 0),
      timeout: Number(socket?.[4] ?? 0),
    },
    non2xx: Number(non2xx?.[1] ?? 0),
  };
}

/** Socket errors plus responses that were not 2xx or 3xx. */
export function wrkErrors(result: WrkResult): number {
  const { connect, read, write, timeout } = result.socketErrors;
  return connect + read + write + timeout + result.non2xx;
}

/** Options of one wrk run. */
export interface WrkOptions {
  /** Path of the wrk binary. */
  readonly binary: string;
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  /** wrk threads (default 1). */
  readonly threads?: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs `wrk -t<threads> -c<connections> -d<seconds>s --latency <url>` in a process of its own,
 * killed by PID if it runs 30 s past its duration, and reads its report.
 */
export async function runWrk(options: WrkOptions): Promise<WrkResult & { command: string }> {
  const args = [
    `-t${options.threads ?? 1}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    '--latency',
    options.url,
  ];
  const finished = await runBounded(options.binary, args, {
    timeoutMs: (options.seconds + 30) * 1000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const command = `wrk ${args.join(' ')}`;
  if (finished.killed || finished.code !== 0) {
    throw new WrkRunError(
      `${command} ${finished.killed ? 'was stopped' : `exited with ${finished.code ?? finished.signal}`}\n${finished.stdout}${finished.stderr}`,
    );
  }
  return { ...parseWrkOutput(finished.stdout), command };
}
