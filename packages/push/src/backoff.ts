import { assertIntegerOption, assertNumberOption, ConfigError, describeValue } from '@fw0/metrics-core';

/** How failed requests are retried: exponential backoff with jitter. */
export interface RetryOptions {
  /** Wait after the first failure, in milliseconds (default 500). */
  readonly initialBackoffMs?: number;
  /** Longest wait between two attempts, in milliseconds (default 30,000); caps `Retry-After` too. */
  readonly maxBackoffMs?: number;
  /**
   * Fraction of each wait that is random, from 0 to 1 (default 0.2: a wait of 1 s becomes
   * 0.8 to 1 s), so that many processes restarted together do not retry in step.
   */
  readonly jitter?: number;
}

/** Retry options with their defaults applied. */
export interface ResolvedRetry {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly jitter: number;
}

/** Checks and completes retry options; throws ConfigError naming the bad value. */
export function resolveRetry(option: string, retry: RetryOptions | undefined): ResolvedRetry {
  if (retry !== undefined && (typeof retry !== 'object' || retry === null)) {
    throw new ConfigError(`Invalid option ${option}=${describeValue(retry)}: expected an object`, {
      subject: option,
      value: retry,
    });
  }
  const initialBackoffMs = retry?.initialBackoffMs ?? 500;
  const maxBackoffMs = retry?.maxBackoffMs ?? 30_000;
  const jitter = retry?.jitter ?? 0.2;
  assertIntegerOption(`${option}.initialBackoffMs`, initialBackoffMs, 1, 3_600_000);
  assertIntegerOption(`${option}.maxBackoffMs`, maxBackoffMs, initialBackoffMs, 3_600_000);
  assertNumberOption(`${option}.jitter`, jitter, 0, 1);
  return { initialBackoffMs, maxBackoffMs, jitter };
}

/**
 * Consecutive failures and the wait they call for: `initialBackoffMs * 2^(failures - 1)`,
 * capped at `maxBackoffMs`, minus up to `jitter` of it at random; at least what the remote
 * asked for in `Retry-After` (still capped).
 */
export class Backoff {
  /** Consecutive failures since the last success. */
  failures = 0;

  constructor(
    private readonly retry: ResolvedRetry,
    private readonly random: () => number = Math.random,
  ) {}

  /** Counts a failure and returns the wait before the next attempt, in milliseconds. */
  next(retryAfterMs?: number): number {
    this.failures++;
    const exponential = this.retry.initialBackoffMs * 2 ** Math.min(this.failures - 1, 30);
    const capped = Math.min(this.retry.maxBackoffMs, exponential);
    const wait = capped * (1 - this.retry.jitter * this.random());
    const asked = retryAfterMs === undefined ? 0 : Math.min(this.retry.maxBackoffMs, retryAfterMs);
    return Math.max(1, Math.round(Math.max(wait, asked)));
  }

  /** A success: the next failure waits `initialBackoffMs` again. */
  reset(): void {
    this.failures = 0;
  }
}
