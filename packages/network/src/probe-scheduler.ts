import {
  assertIntegerOption,
  ConfigError,
  describeValue,
  type Logger,
  type MetricsRegistry,
  PeriodicTask,
} from '@fw0/metrics-core';
import { type ResolvedHttpOptions, resolveHttpOptions } from './http-options.js';
import type { ProbeKind } from './names.js';
import type { ProbeTarget } from './options.js';
import { Semaphore } from './semaphore.js';
import { isLabelText } from './target-recorders.js';
import {
  type HttpTarget,
  MAX_DURATION_MS,
  parseHttpTarget,
  parseTcpTarget,
  type TcpTarget,
} from './targets.js';

/** Default time between two probes of a target, in milliseconds. */
export const DEFAULT_PROBE_INTERVAL_MS = 15_000;
/** Default HTTP timeout, in milliseconds. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
/** Default TCP timeout, in milliseconds. */
export const DEFAULT_TCP_TIMEOUT_MS = 5_000;

/** How the scheduler runs one probe (the collector's measurements); must never reject. */
export interface ProbeRunner {
  probeHttp(
    target: HttpTarget,
    timeoutMs: number,
    options: ResolvedHttpOptions,
    signal: AbortSignal,
  ): Promise<unknown>;
  probeTcp(target: TcpTarget, timeoutMs: number, label: string, signal: AbortSignal): Promise<unknown>;
}

/** A target checked and ready to schedule. */
interface PlannedProbe {
  readonly key: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly run: (signal: AbortSignal) => Promise<unknown>;
}

/**
 * Runs probes on a schedule: one core PeriodicTask per target (runs of a target never overlap,
 * no drift, unref'd timers), at most `maxConcurrent` probes at once across targets. A probe
 * slower than its interval delays the next one: the ticks in between are skipped and counted
 * in `fw0_task_overruns_total`.
 */
export class ProbeScheduler {
  private readonly tasks = new Map<string, PeriodicTask>();
  private readonly semaphore: Semaphore;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly logger: Logger,
    maxConcurrent: number,
    private readonly runner: ProbeRunner,
  ) {
    this.semaphore = new Semaphore(maxConcurrent);
  }

  /** Keys (`kind target`) of the targets being probed. */
  get targets(): string[] {
    return [...this.tasks.keys()];
  }

  /**
   * Checks every target first (nothing starts if one is bad: ConfigError / InvalidTargetError),
   * then starts them. Resolves once each new target has been probed once.
   */
  start(targets: readonly ProbeTarget[]): Promise<void> {
    if (!Array.isArray(targets)) {
      throw new ConfigError(`Invalid probe targets ${describeValue(targets)}: expected an array`, {
        value: targets,
      });
    }
    const planned = targets.map((target, index) => this.plan(target, index));
    const keys = new Set<string>();
    for (const { key } of planned) {
      if (this.tasks.has(key) || keys.has(key)) {
        throw new ConfigError(`Target "${key}" is already being probed`, { subject: key, value: key });
      }
      keys.add(key);
    }
    const firstRuns = planned.map(({ key, intervalMs, timeoutMs, run }) => {
      const task = new PeriodicTask({
        name: `probe ${key}`,
        intervalMs,
        // Time for a slot and the probe itself; the probe ends by its own timeout.
        timeoutMs: Math.min(MAX_DURATION_MS, Math.max(intervalMs, timeoutMs) + timeoutMs),
        registry: this.registry,
        logger: this.logger,
        run: async (signal) => {
          if (!(await this.semaphore.acquire(signal))) return;
          try {
            await run(signal);
          } finally {
            this.semaphore.release();
          }
        },
      });
      this.tasks.set(key, task);
      task.start();
      return task.runNow();
    });
    return Promise.all(firstRuns).then(() => undefined);
  }

  /** Stops every target's schedule; resolves once the probes in flight have ended (each within its timeout). */
  async stop(): Promise<void> {
    const tasks = [...this.tasks.values()];
    this.tasks.clear();
    await Promise.all(tasks.map((task) => task.stop()));
  }

  private plan(target: ProbeTarget, index: number): PlannedProbe {
    if (typeof target !== 'object' || target === null) {
      throw new ConfigError(`Invalid probe target #${index} ${describeValue(target)}: expected an object`, {
        value: target,
      });
    }
    const kind: ProbeKind | undefined =
      target.kind === 'http' || target.kind === 'tcp' ? target.kind : undefined;
    if (kind === undefined) {
      throw new ConfigError(
        `Invalid probe target #${index}: kind ${describeValue((target as { kind?: unknown }).kind)} is not "http" or "tcp"`,
        { subject: 'kind', value: (target as { kind?: unknown }).kind },
      );
    }
    const intervalMs = target.intervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    assertIntegerOption(`targets[${index}].intervalMs`, intervalMs, 1, MAX_DURATION_MS);
    const defaultTimeout = kind === 'http' ? DEFAULT_HTTP_TIMEOUT_MS : DEFAULT_TCP_TIMEOUT_MS;
    const timeoutMs = target.timeoutMs ?? Math.min(defaultTimeout, intervalMs);
    assertIntegerOption(`targets[${index}].timeoutMs`, timeoutMs, 1, MAX_DURATION_MS);
    if (target.kind === 'http') {
      const http = parseHttpTarget(target.url);
      const options = resolveHttpOptions(target);
      const label = options.target ?? http.label;
      return {
        key: `http ${label}`,
        intervalMs,
        timeoutMs,
        run: (signal) => this.runner.probeHttp(http, timeoutMs, options, signal),
      };
    }
    const tcp = parseTcpTarget(target.host, target.port);
    if (target.target !== undefined && !isLabelText(target.target)) {
      throw new ConfigError(
        `Invalid option target=${describeValue(target.target)}: expected a non-empty string of valid Unicode`,
        {
          subject: 'target',
          value: target.target,
        },
      );
    }
    const label = target.target ?? tcp.label;
    return {
      key: `tcp ${label}`,
      intervalMs,
      timeoutMs,
      run: (signal) => this.runner.probeTcp(tcp, timeoutMs, label, signal),
    };
  }
}
