import type { CounterSeries, GaugeSeries, HistogramSeries, Labels } from '@fw0/metrics-core';
import type { HttpOutcome } from './http-measurement.js';
import { type FailureReason, HTTP_PHASES, type ProbeKind, ProbePhase, TCP_PHASES } from './names.js';
import type { TargetSuccessRate } from './options.js';
import type { ProbeInstruments } from './probe-instruments.js';
import type { TcpOutcome } from './tcp-prober.js';

/** Series only HTTP targets have. */
interface HttpSeries {
  readonly resolve: GaugeSeries;
  readonly connect: GaugeSeries;
  readonly tls: GaugeSeries;
  readonly processing: GaugeSeries;
  readonly transfer: GaugeSeries;
  readonly statusCode: GaugeSeries;
  readonly contentLength: GaugeSeries;
  readonly bodyLength: GaugeSeries;
  readonly redirects: GaugeSeries;
  readonly ssl: GaugeSeries;
  readonly failedDueToRegex: GaugeSeries;
}

/** Told when a recorder has values for its gauges that are not written yet. */
export interface GaugePublisher {
  publishLater(recorder: TargetRecorder): void;
}

/**
 * The bound series of one probe target (kind + target label), so that recording a probe does no
 * label lookup. Failure-reason series are bound on first use.
 *
 * Counters and histograms are recorded with each probe. The last-probe gauges (success,
 * duration, phases, status code, sizes...) are written only when the metrics are read: the
 * recorder keeps its last outcome, and its publisher writes it to the gauges from a read hook of
 * theirs (see docs/architecture.md, "Last-probe gauges are written when read"). A recorder
 * without a publisher (one past the collector's target limit) writes them at once.
 */
export class TargetRecorder {
  /** `{ kind, target }`, frozen: the tags of this target's samples. */
  readonly tags: Labels;
  private readonly success: GaugeSeries;
  private readonly duration: GaugeSeries;
  private readonly dnsLookup: GaugeSeries;
  private readonly attempts: CounterSeries;
  private readonly successes: CounterSeries;
  private readonly ratio: GaugeSeries;
  private readonly latency: HistogramSeries;
  private readonly phases: readonly HistogramSeries[];
  private readonly failures = new Map<FailureReason, CounterSeries>();
  private readonly http: HttpSeries | undefined;
  private certificateExpiry: GaugeSeries | undefined;
  /**
   * The last outcome recorded and not yet written to the gauges; while it is set, the publisher
   * lists this recorder.
   */
  private pending: HttpOutcome | TcpOutcome | undefined;

  constructor(
    readonly kind: ProbeKind,
    readonly target: string,
    private readonly instruments: ProbeInstruments,
    private readonly publisher: GaugePublisher | undefined,
  ) {
    const labels = Object.freeze({ kind, target });
    this.tags = labels;
    this.success = instruments.success.bind(labels);
    this.duration = instruments.duration.bind(labels);
    this.dnsLookup = instruments.dnsLookup.bind(labels);
    this.attempts = instruments.attempts.bind(labels);
    this.successes = instruments.successes.bind(labels);
    this.ratio = instruments.successRatio.bind(labels);
    this.latency = instruments.latency.bind(labels);
    this.phases = (kind === 'http' ? HTTP_PHASES : TCP_PHASES).map((phase) =>
      instruments.phaseDuration.bind({ kind, target, phase }),
    );
    if (kind === 'http') {
      const only = { target };
      const phase = (name: ProbePhase) => instruments.httpDuration.bind({ target, phase: name });
      this.http = {
        resolve: phase(ProbePhase.RESOLVE),
        connect: phase(ProbePhase.CONNECT),
        tls: phase(ProbePhase.TLS),
        processing: phase(ProbePhase.PROCESSING),
        transfer: phase(ProbePhase.TRANSFER),
        statusCode: instruments.statusCode.bind(only),
        contentLength: instruments.contentLength.bind(only),
        bodyLength: instruments.bodyLength.bind(only),
        redirects: instruments.redirects.bind(only),
        ssl: instruments.ssl.bind(only),
        failedDueToRegex: instruments.failedDueToRegex.bind(only),
      };
    }
  }

  /** Records an HTTP measurement: distributions on success, the last-probe gauges when read. */
  recordHttp(outcome: HttpOutcome): void {
    copyHttpFigures(outcome, scratch, 0);
    this.recordHttpFigures(scratch, 0, outcome);
  }

  /**
   * Records an HTTP measurement whose figures {@link copyHttpFigures} copied into `figures` at
   * `at`: reads nothing else of `outcome` on success (it is kept for the last-probe gauges), so
   * that a queue of them recorded long after they ended touches one compact array rather than
   * objects scattered through the heap.
   */
  recordHttpFigures(figures: Float64Array, at: number, outcome: HttpOutcome): void {
    const flags = figures[at + FLAGS]!;
    if ((flags & FAILED) !== 0) {
      this.count(outcome.failure?.reason);
    } else {
      this.count(undefined);
      // Steps that did not happen are not observed: a reused connection had no lookup, connect
      // or handshake, plain HTTP no handshake. The distributions describe real connections.
      const observed = this.phases;
      this.latency.observe(figures[at + DURATION]!);
      if ((flags & REUSED) === 0) {
        observed[0]!.observe(figures[at + RESOLVE]!);
        observed[1]!.observe(figures[at + CONNECT]!);
        if ((flags & TLS) !== 0) observed[2]!.observe(figures[at + TLS_SECONDS]!);
      }
      observed[3]!.observe(figures[at + PROCESSING]!);
      observed[4]!.observe(figures[at + TRANSFER]!);
    }
    this.publishLater(outcome);
  }

  /** Records a TCP measurement. */
  recordTcp(outcome: TcpOutcome): void {
    this.count(outcome.failure?.reason);
    if (outcome.failure === undefined) {
      this.latency.observe(outcome.durationSeconds);
      this.phases[0]!.observe(outcome.resolveSeconds);
      this.phases[1]!.observe(outcome.connectSeconds);
    }
    this.publishLater(outcome);
  }

  /** Writes the last outcome to the last-probe gauges (a publisher calls this when they are read). */
  publish(): void {
    const outcome = this.pending;
    this.pending = undefined;
    if (outcome === undefined) return;
    if ('phases' in outcome) this.publishHttp(outcome);
    else this.publishProbe(outcome.failure, outcome.durationSeconds, outcome.resolveSeconds);
  }

  /** Attempts, successes and failures of this target so far. */
  successRate(): TargetSuccessRate {
    const failures: Record<string, number> = {};
    for (const [reason, series] of this.failures) failures[reason] = series.value;
    const attempts = this.attempts.value;
    return {
      kind: this.kind,
      target: this.target,
      attempts,
      successes: this.successes.value,
      failures,
      successRatio: attempts === 0 ? Number.NaN : this.successes.value / attempts,
    };
  }

  private publishLater(outcome: HttpOutcome | TcpOutcome): void {
    const listed = this.pending !== undefined;
    this.pending = outcome;
    if (this.publisher === undefined) this.publish();
    else if (!listed) this.publisher.publishLater(this);
  }

  private publishHttp(outcome: HttpOutcome): void {
    const series = this.http!;
    const { resolve, connect, tls, processing, transfer } = outcome.phases;
    series.resolve.set(resolve);
    series.connect.set(connect);
    series.tls.set(tls);
    series.processing.set(processing);
    series.transfer.set(transfer);
    series.statusCode.set(outcome.statusCode);
    series.contentLength.set(outcome.contentLength);
    series.bodyLength.set(outcome.bodyBytes);
    series.redirects.set(outcome.redirects);
    series.ssl.set(outcome.tls ? 1 : 0);
    series.failedDueToRegex.set(outcome.regexFailed ? 1 : 0);
    if (outcome.certificateExpiry !== undefined) {
      this.certificateExpiry ??= this.instruments.certificateExpiry.bind({ target: this.target });
      this.certificateExpiry.set(outcome.certificateExpiry);
    }
    this.publishProbe(outcome.failure, outcome.durationSeconds, resolve);
  }

  /** The gauges every kind of probe has. */
  private publishProbe(failure: unknown, durationSeconds: number, resolveSeconds: number): void {
    this.dnsLookup.set(resolveSeconds);
    this.duration.set(durationSeconds);
    this.success.set(failure === undefined ? 1 : 0);
    this.ratio.set(this.successes.value / this.attempts.value);
  }

  /** Counts an attempt, and its success or failure. */
  private count(failure: FailureReason | undefined): void {
    this.attempts.add();
    if (failure === undefined) {
      this.successes.add();
      return;
    }
    let series = this.failures.get(failure);
    if (series === undefined) {
      series = this.instruments.failures.bind({ kind: this.kind, target: this.target, reason: failure });
      this.failures.set(failure, series);
    }
    series.add();
  }
}

// Where each figure of an HTTP outcome sits among its HTTP_FIGURES numbers (see copyHttpFigures).
const DURATION = 0;
const RESOLVE = 1;
const CONNECT = 2;
const TLS_SECONDS = 3;
const PROCESSING = 4;
const TRANSFER = 5;
/** FAILED, REUSED and TLS bits. */
const FLAGS = 6;

/** Numbers per HTTP outcome copied by {@link copyHttpFigures}. */
export const HTTP_FIGURES = 7;

const FAILED = 1;
const REUSED = 2;
const TLS = 4;

/** One outcome's figures, for {@link TargetRecorder.recordHttp}. */
const scratch = new Float64Array(HTTP_FIGURES);

/**
 * Copies what recording an HTTP outcome reads (seconds, and whether it failed, reused its
 * connection and used TLS) into `figures` from `at` (HTTP_FIGURES numbers): done when the
 * outcome has just been written and is still in the caches.
 */
export function copyHttpFigures(outcome: HttpOutcome, figures: Float64Array, at: number): void {
  const phases = outcome.phases;
  figures[at + DURATION] = outcome.durationSeconds;
  figures[at + RESOLVE] = phases.resolve;
  figures[at + CONNECT] = phases.connect;
  figures[at + TLS_SECONDS] = phases.tls;
  figures[at + PROCESSING] = phases.processing;
  figures[at + TRANSFER] = phases.transfer;
  figures[at + FLAGS] =
    (outcome.failure === undefined ? 0 : FAILED) |
    (outcome.connectionReused ? REUSED : 0) |
    (outcome.tls ? TLS : 0);
}
