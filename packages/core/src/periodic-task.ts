import { performance } from 'node:perf_hooks';
import { TimeoutError } from './errors.js';
import type { CounterSeries } from './instruments/counter.js';
import type { HistogramSeries } from './instruments/histogram.js';
import { LogLimiter } from './log-limiter.js';
import { debugLogger, type Logger, safeLog } from './logger.js';
import type { MetricsRegistry } from './registry.js';
import { assertIntegerOption } from './validation.js';

/** Options of a {@link PeriodicTask}. */
export interface PeriodicTaskOptions {
  /** Name of the task (the `task` label of its self-metrics). */
  readonly name: string;
  /** Time between the starts of two runs, in milliseconds. */
  readonly intervalMs: number;
  /**
   * The work. It receives a signal that aborts when the run exceeds `timeoutMs`; it may return a
   * promise. Whatever it throws or rejects with is counted and logged, never rethrown.
   */
  readonly run: (signal: AbortSignal) => unknown;
  /**
   * Longest a run may take, in milliseconds (default: `intervalMs`). Past it the signal aborts,
   * the run counts as failed with reason `timeout`, and `stop()` no longer waits for it.
   */
  readonly timeoutMs?: number;
  /** Run once right away on `start()` (default true), then every `intervalMs`. */
  readonly runOnStart?: boolean;
  /** Registry for the task's self-metrics (duration, errors, overruns). */
  readonly registry?: MetricsRegistry;
  readonly logger?: Logger;
  /** Told about every failed run (after it was counted); must not throw (it is guarded anyway). */
  readonly onError?: (error: unknown) => void;
}

interface TaskMetrics {
  readonly duration: HistogramSeries;
  readonly errors: CounterSeries;
  readonly timeouts: CounterSeries;
  readonly overruns: CounterSeries;
}

/**
 * Runs work every `intervalMs` in the background, the way collectors need it:
 * - the timer is unref'd: a task never keeps the process alive;
 * - runs never overlap: a tick that comes while a run is going is skipped and counted (a run
 *   past its timeout still blocks new runs until its work settles, but `stop()` stops waiting);
 * - no drift: ticks are due at `start + n * intervalMs`, whatever each run took;
 * - `stop()` resolves once the run in flight has finished (or passed its timeout);
 * - each run's duration and failures are measured (`fw0_task_*` self-metrics).
 */
export class PeriodicTask {
  readonly name: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  private readonly options: PeriodicTaskOptions;
  private readonly metrics: TaskMetrics | undefined;
  private timer: NodeJS.Timeout | undefined;
  private origin = 0;
  private tick = 0;
  private active = false;
  /** The current run, settled once it ended or passed its timeout (what `stop()` waits for). */
  private inflight: Promise<void> | undefined;
  /** The current work itself, settled only when it settles: no run starts while it is set. */
  private busy: Promise<unknown> | undefined;
  private runCount = 0;
  private readonly logger: Logger;
  /** Overruns can come every tick: at most one log line a minute, with the count since the last. */
  private readonly overrunLog = new LogLimiter(60);

  constructor(options: PeriodicTaskOptions) {
    assertIntegerOption(`${options.name}: intervalMs`, options.intervalMs, 1, 86_400_000);
    this.timeoutMs = options.timeoutMs ?? options.intervalMs;
    assertIntegerOption(`${options.name}: timeoutMs`, this.timeoutMs, 1, 86_400_000);
    this.name = options.name;
    this.intervalMs = options.intervalMs;
    this.options = options;
    this.logger = options.logger ?? options.registry?.logger ?? debugLogger();
    const registry = options.registry;
    this.metrics = registry && {
      duration: registry.self.taskDuration.bind({ task: options.name }),
      errors: registry.self.taskErrors.bind({ task: options.name, reason: 'error' }),
      timeouts: registry.self.taskErrors.bind({ task: options.name, reason: 'timeout' }),
      overruns: registry.self.taskOverruns.bind({ task: options.name }),
    };
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.active;
  }

  /** Runs finished so far (failed ones included). */
  get runs(): number {
    return this.runCount;
  }

  /** Starts the schedule; calling it again while running does nothing. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.origin = performance.now();
    this.tick = 0;
    if (this.options.runOnStart ?? true) this.fire();
    else this.schedule();
  }

  /** Stops the schedule and resolves once the run in flight (if any) has ended or timed out. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inflight;
  }

  /**
   * Runs the work now, outside the schedule, unless a run is already going (then waits for it).
   * Resolves when that run ends; never rejects.
   */
  runNow(): Promise<void> {
    return this.inflight ?? (this.busy ? this.busy.then(() => undefined) : this.execute());
  }

  private fire(): void {
    if (!this.active) return;
    if (this.busy !== undefined) this.overrun(1, 'the previous run was still going');
    else void this.execute();
    this.schedule();
  }

  /** Sets the timer for the next tick due after now (skipped ticks counted as overruns). */
  private schedule(): void {
    if (!this.active) return;
    const now = performance.now();
    this.tick++;
    let due = this.origin + this.tick * this.intervalMs;
    if (due < now) {
      const skipped = Math.ceil((now - due) / this.intervalMs);
      this.overrun(
        skipped,
        'the timer fired late (the event loop was blocked or a run took longer than the interval)',
      );
      this.tick += skipped;
      due = this.origin + this.tick * this.intervalMs;
    }
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - now));
    this.timer.unref();
  }

  private execute(): Promise<void> {
    const controller = new AbortController();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const work = Promise.resolve()
      .then(() => this.options.run(controller.signal))
      .then(
        () => 'ok' as const,
        (error: unknown) => {
          this.fail('error', error);
          return 'failed' as const;
        },
      );
    const busy = work.finally(() => {
      if (this.busy === busy) this.busy = undefined;
    });
    this.busy = busy;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
      timer.unref();
    });
    const run = Promise.race([work, deadline]).then((outcome) => {
      clearTimeout(timer);
      if (outcome === 'timeout') {
        controller.abort(
          new TimeoutError(`task ${this.name} exceeded ${this.timeoutMs} ms`, { subject: this.name }),
        );
        this.fail('timeout', controller.signal.reason);
      }
      this.runCount++;
      this.metrics?.duration.observe((performance.now() - started) / 1000);
      if (this.inflight === run) this.inflight = undefined;
    });
    this.inflight = run;
    return run;
  }

  /** Counts `ticks` skipped ticks and says why (rate-limited). */
  private overrun(ticks: number, why: string): void {
    this.metrics?.overruns.add(ticks);
    const events = this.overrunLog.add(ticks, performance.now() / 1000);
    if (events === 0) return;
    safeLog(
      this.logger,
      'warn',
      `task "${this.name}" skipped ${events} tick(s) of its ${this.intervalMs} ms schedule (counted in fw0_task_overruns_total; the latest because ${why})`,
      { task: this.name, skippedTicks: events, intervalMs: this.intervalMs },
    );
  }

  private fail(reason: 'error' | 'timeout', error: unknown): void {
    (reason === 'error' ? this.metrics?.errors : this.metrics?.timeouts)?.add();
    safeLog(this.logger, 'error', `task "${this.name}" run failed (${reason})`, { error });
    try {
      this.options.onError?.(error);
    } catch {
      // The host's error callback must not break the schedule.
    }
  }
}
