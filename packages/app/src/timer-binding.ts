import { performance } from 'node:perf_hooks';
import {
  type CounterSeries,
  createPerformanceMetric,
  type HistogramSeries,
  type Labels,
  MetricType,
  MetricUnit,
  type NameSampler,
  type PerformanceMetric,
} from '@fw0/metrics-core';
import { type MemoryDelta, type MemoryReading, memoryDeltaSince } from './memory.js';
import { AppLabel, Outcome } from './names.js';
import { PENDING_CAPACITY, type PendingDurations } from './pending-durations.js';
import type { SampleSink } from './sample-sink.js';

/** Bound memory-delta series of one outcome. */
export interface MemorySeries {
  readonly heap: HistogramSeries;
  readonly external: HistogramSeries;
}

/** The bound series a binding records into, for one outcome. */
export interface OutcomeSeries {
  readonly duration: HistogramSeries;
  readonly calls: CounterSeries;
  /** Batches durations for `duration` (shared by every binding of that series). */
  readonly pending: PendingDurations;
}

/**
 * One timed name with one tag set, bound to its series: what a timed function holds and calls
 * after each call. Recording a successful call is a store into the series' pending batch, a bound
 * counter add and a sampling decision; a sample object is only built when the sampler keeps it.
 */
export class TimerBinding {
  /** Tags of the success series (the timer's tags plus `outcome="success"`), frozen. */
  readonly successTags: Labels;
  /** Tags of the error series (the timer's tags plus `outcome="error"`), frozen. */
  readonly errorTags: Labels;
  // Handles as direct fields: the hot path loads them without an intermediate object.
  private readonly successDuration: HistogramSeries;
  private readonly successPending: PendingDurations;
  private readonly successCalls: CounterSeries;
  private readonly errorDuration: HistogramSeries;
  private readonly errorCalls: CounterSeries;
  private readonly sampledOut: CounterSeries;
  private successMemory: MemorySeries | undefined;
  private errorMemory: MemorySeries | undefined;

  constructor(
    /** The timer name as callers wrote it (`UserService.getUser`); the name of its samples. */
    readonly name: string,
    tags: Labels,
    success: OutcomeSeries,
    error: OutcomeSeries,
    private readonly sampler: NameSampler,
    /** Where samples and failures go. */
    readonly sink: SampleSink,
  ) {
    this.successTags = Object.freeze({ ...tags, [AppLabel.OUTCOME]: Outcome.SUCCESS });
    this.errorTags = Object.freeze({ ...tags, [AppLabel.OUTCOME]: Outcome.ERROR });
    this.successDuration = success.duration;
    this.successPending = success.pending;
    this.successCalls = success.calls;
    this.errorDuration = error.duration;
    this.errorCalls = error.calls;
    this.sampledOut = sink.sampledOut;
  }

  /** True once memory deltas are recorded for this binding. */
  get tracksMemory(): boolean {
    return this.successMemory !== undefined;
  }

  /** Starts recording memory deltas into `series` for calls ending with `outcome`. */
  enableMemory(outcome: Outcome, series: MemorySeries): void {
    if (outcome === Outcome.SUCCESS) this.successMemory = series;
    else this.errorMemory = series;
  }

  /**
   * Records a call that returned (or whose promise resolved), started at `start` (a
   * `performance.now()` reading, in milliseconds). Taking the start rather than the duration keeps
   * the duration an unboxed double: passing a computed double to a call V8 does not inline
   * allocates a heap number per call. The duration joins the series' pending batch (see
   * `PendingDurations`); the call counter counts it at once.
   */
  succeeded(start: number): void {
    const seconds = (performance.now() - start) / 1000;
    const pending = this.successPending;
    const count = pending.count;
    const second = pending.clock.seconds;
    if (count === 0) pending.since = second;
    pending.values[count] = seconds;
    pending.count = count + 1;
    if (count + 1 === PENDING_CAPACITY || second !== pending.since) pending.flush();
    this.successCalls.add();
    const rate = this.sampler.admit();
    if (rate === 0) this.sampledOut.add();
    else this.keep(seconds, this.successTags, rate);
  }

  /** Records a call that threw (or whose promise rejected), started at `start` (milliseconds). */
  failed(start: number): void {
    const seconds = (performance.now() - start) / 1000;
    this.errorDuration.observe(seconds);
    this.errorCalls.add();
    const rate = this.sampler.admit();
    if (rate === 0) this.sampledOut.add();
    else this.keep(seconds, this.errorTags, rate);
  }

  /** Records a call started at `start` (milliseconds) that succeeded, with the memory it changed since `before`. */
  succeededWithMemory(start: number, before: MemoryReading): void {
    const seconds = (performance.now() - start) / 1000;
    this.record(false, seconds, memoryDeltaSince(before), undefined);
  }

  /** Records a call started at `start` (milliseconds) that failed, with the memory it changed since `before`. */
  failedWithMemory(start: number, before: MemoryReading): void {
    const seconds = (performance.now() - start) / 1000;
    this.record(true, seconds, memoryDeltaSince(before), undefined);
  }

  /**
   * Records the end of a tracker scope and returns its sample (with the scope's context), built
   * whether or not sampling keeps it in the buffer.
   */
  finishScope(
    seconds: number,
    failed: boolean,
    context: Readonly<Record<string, unknown>> | undefined,
    memory: MemoryDelta | undefined,
  ): PerformanceMetric {
    return this.record(failed, seconds, memory, context);
  }

  private record(
    failed: boolean,
    seconds: number,
    memory: MemoryDelta | undefined,
    context: Readonly<Record<string, unknown>> | undefined,
  ): PerformanceMetric {
    (failed ? this.errorDuration : this.successDuration).observe(seconds);
    (failed ? this.errorCalls : this.successCalls).add();
    const memorySeries = failed ? this.errorMemory : this.successMemory;
    if (memory !== undefined && memorySeries !== undefined) {
      memorySeries.heap.observe(memory.heapDeltaBytes);
      memorySeries.external.observe(memory.externalDeltaBytes);
    }
    const rate = this.sampler.admit();
    const sample = this.sample(seconds, failed ? this.errorTags : this.successTags, rate, memory, context);
    if (rate === 0) this.sampledOut.add();
    else this.sink.push(sample);
    return sample;
  }

  /** Puts the sample of a call the sampler kept into the buffer (off the common path). */
  private keep(seconds: number, tags: Labels, rate: number): void {
    this.sink.push(this.sample(seconds, tags, rate, undefined, undefined));
  }

  private sample(
    seconds: number,
    tags: Labels,
    rate: number,
    memory: MemoryDelta | undefined,
    context: Readonly<Record<string, unknown>> | undefined,
  ): PerformanceMetric {
    const merged =
      memory === undefined
        ? context
        : Object.freeze({
            ...context,
            heapDeltaBytes: memory.heapDeltaBytes,
            externalDeltaBytes: memory.externalDeltaBytes,
          });
    return createPerformanceMetric({
      name: this.name,
      value: seconds,
      type: MetricType.TIMER,
      unit: MetricUnit.SECONDS,
      tags,
      context: merged,
      sampleRate: rate === 0 ? undefined : rate,
    });
  }
}
