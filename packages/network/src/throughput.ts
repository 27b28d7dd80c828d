import {
  type Counter,
  type CounterSeries,
  describeValue,
  type Histogram,
  type HistogramSeries,
  InvalidLabelError,
  InvalidValueError,
  type MetricsRegistry,
} from '@fw0/metrics-core';
import { NetworkMetricName as Name } from './names.js';

/** The registry instruments of throughput. */
export interface ThroughputInstruments {
  readonly throughput: Histogram;
  readonly bytes: Counter;
  readonly seconds: Counter;
}

/** Operations whose recorders are kept, at most (later ones are bound on every call). */
const OPERATION_CACHE_LIMIT = 1000;

/** The throughput recorders of a collector, one per operation. */
export class ThroughputRecorders {
  private readonly instruments: ThroughputInstruments;
  private readonly byOperation = new Map<string, ThroughputRecorder>();

  constructor(registry: MetricsRegistry) {
    this.instruments = defineThroughputInstruments(registry);
  }

  /** The recorder of `operation` (a non-empty string, else InvalidLabelError). */
  bind(operation: string): ThroughputRecorder {
    let recorder = this.byOperation.get(operation);
    if (recorder !== undefined) return recorder;
    if (typeof operation !== 'string' || operation === '') {
      throw new InvalidLabelError(
        `Invalid operation ${describeValue(operation)}: expected a non-empty string`,
        {
          subject: Name.THROUGHPUT,
          value: operation,
        },
      );
    }
    recorder = new ThroughputRecorder(operation, this.instruments);
    if (this.byOperation.size < OPERATION_CACHE_LIMIT) this.byOperation.set(operation, recorder);
    return recorder;
  }
}

/** Defines (or finds) the throughput instruments in `registry`. */
export function defineThroughputInstruments(registry: MetricsRegistry): ThroughputInstruments {
  return {
    throughput: registry.histogram({
      name: Name.THROUGHPUT,
      help: 'Throughput of recorded transfers',
      unit: 'bytes_per_second',
    }),
    bytes: registry.counter({
      name: Name.TRANSFER_BYTES,
      help: 'Bytes of recorded transfers',
      unit: 'bytes',
    }),
    seconds: registry.counter({
      name: Name.TRANSFER_DURATION,
      help: 'Time spent in recorded transfers',
      unit: 'seconds',
    }),
  };
}

/**
 * Records transfers of one operation into bound series: allocation-free, no label lookup.
 * Get one with `collector.bindThroughput(operation)`.
 */
export class ThroughputRecorder {
  private readonly throughput: HistogramSeries;
  private readonly bytes: CounterSeries;
  private readonly seconds: CounterSeries;

  constructor(
    readonly operation: string,
    instruments: ThroughputInstruments,
  ) {
    const labels = { operation };
    this.throughput = instruments.throughput.bind(labels);
    this.bytes = instruments.bytes.bind(labels);
    this.seconds = instruments.seconds.bind(labels);
  }

  /**
   * Records `dataBytes` bytes moved in `durationSeconds` seconds and returns the throughput in
   * bytes per second. Throws InvalidValueError (recording nothing) for negative or non-finite
   * bytes, or a duration that is not a finite number above 0.
   */
  record(dataBytes: number, durationSeconds: number): number {
    const bytesPerSecond = checkTransfer(dataBytes, durationSeconds, this.operation);
    this.throughput.observe(bytesPerSecond);
    this.bytes.add(dataBytes);
    this.seconds.add(durationSeconds);
    return bytesPerSecond;
  }
}

/**
 * Checks one transfer and returns its throughput in bytes per second. Throws InvalidValueError
 * for negative or non-finite bytes, a duration that is not a finite number above 0, or a
 * throughput that is not finite.
 */
export function checkTransfer(dataBytes: unknown, durationSeconds: unknown, operation: unknown): number {
  if (typeof dataBytes !== 'number' || !(dataBytes >= 0) || dataBytes === Number.POSITIVE_INFINITY) {
    throw new InvalidValueError(
      `Invalid dataBytes ${describeValue(dataBytes)} for operation ${describeValue(operation)}: expected a finite number >= 0`,
      { subject: String(operation), value: dataBytes },
    );
  }
  if (
    typeof durationSeconds !== 'number' ||
    !(durationSeconds > 0) ||
    durationSeconds === Number.POSITIVE_INFINITY
  ) {
    throw new InvalidValueError(
      `Invalid durationSeconds ${describeValue(durationSeconds)} for operation ${describeValue(operation)}: expected a finite number of seconds > 0`,
      { subject: String(operation), value: durationSeconds },
    );
  }
  const bytesPerSecond = dataBytes / durationSeconds;
  if (bytesPerSecond === Number.POSITIVE_INFINITY) {
    throw new InvalidValueError(
      `Throughput of ${dataBytes} bytes in ${durationSeconds} s for operation ${describeValue(operation)} is not finite`,
      { subject: String(operation), value: durationSeconds },
    );
  }
  return bytesPerSecond;
}
