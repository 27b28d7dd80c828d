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

/**
 * The bound series of one probe target (kind + target label), so that recording a probe does no
 * label lookup. Failure-reason series are bound on first use.
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

  constructor(
    readonly kind: ProbeKind,
    readonly target: string,
    private readonly instruments: ProbeInstruments,
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

  /** Records an HTTP measurement: last-probe gauges always, distributions on success. */
  recordHttp(outcome: HttpOutcome): void {
    const http = this.http!;
    const { resolve, connect, tls, processing, transfer } = outcome.phases;
    http.resolve.set(resolve);
    http.connect.set(connect);
    http.tls.set(tls);
    http.processing.set(processing);
    http.transfer.set(transfer);
    http.statusCode.set(outcome.statusCode);
    http.contentLength.set(outcome.contentLength);
    http.bodyLength.set(outcome.bodyBytes);
    http.redirects.set(outcome.redirects);
    http.ssl.set(outcome.tls ? 1 : 0);
    http.failedDueToRegex.set(outcome.regexFailed ? 1 : 0);
    if (outcome.certificateExpiry !== undefined) {
      this.certificateExpiry ??= this.instruments.certificateExpiry.bind({ target: this.target });
      this.certificateExpiry.set(outcome.certificateExpiry);
    }
    this.dnsLookup.set(resolve);
    this.finish(outcome.failure?.reason, outcome.durationSeconds);
    if (outcome.failure === undefined) {
      // Steps that did not happen are not observed: a reused connection had no lookup, connect
      // or handshake, plain HTTP no handshake. The distributions describe real connections.
      const observed = this.phases;
      if (!outcome.connectionReused) {
        observed[0]!.observe(resolve);
        observed[1]!.observe(connect);
        if (outcome.tls) observed[2]!.observe(tls);
      }
      observed[3]!.observe(processing);
      observed[4]!.observe(transfer);
    }
  }

  /** Records a TCP measurement. */
  recordTcp(outcome: TcpOutcome): void {
    this.dnsLookup.set(outcome.resolveSeconds);
    this.finish(outcome.failure?.reason, outcome.durationSeconds);
    if (outcome.failure === undefined) {
      this.phases[0]!.observe(outcome.resolveSeconds);
      this.phases[1]!.observe(outcome.connectSeconds);
    }
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

  private finish(failure: FailureReason | undefined, durationSeconds: number): void {
    this.attempts.add();
    this.duration.set(durationSeconds);
    if (failure === undefined) {
      this.successes.add();
      this.success.set(1);
      this.latency.observe(durationSeconds);
    } else {
      let series = this.failures.get(failure);
      if (series === undefined) {
        series = this.instruments.failures.bind({ kind: this.kind, target: this.target, reason: failure });
        this.failures.set(failure, series);
      }
      series.add();
      this.success.set(0);
    }
    this.ratio.set(this.successes.value / this.attempts.value);
  }
}
