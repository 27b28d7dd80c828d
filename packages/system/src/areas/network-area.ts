import type { Counter, Gauge, GaugeSeries, Labels, MetricsRegistry } from '@fw0/metrics-core';
import type { NameFilter } from '../filters.js';
import { Label, NETWORK_COUNTERS, NETWORK_RATES } from '../names.js';
import type { InterfaceReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { KernelCounter } from '../tracking/kernel-counter.js';
import { HOST_AGGREGATION, type Recorder, recordGauge, type SampleList } from '../tracking/recorder.js';

/** Which interfaces are measured. */
export interface InterfaceFilter {
  readonly names: NameFilter;
  /** Leave out interfaces the kernel lists as virtual (loopback, bridges, veth, tunnels). */
  readonly excludeVirtual: boolean;
}

interface InterfaceState {
  readonly labels: Labels;
  readonly counters: (KernelCounter | undefined)[];
  readonly deltas: Float64Array;
  readonly rates: GaugeSeries[];
  /** False while every counter has read 0 since the interface was first seen. */
  carried: boolean;
}

/** Help text of a /proc/net/dev counter, as node_exporter words it. */
function counterHelp(name: string): string {
  const [, direction, what] = /^node_network_(receive|transmit)_(\w+)_total$/.exec(name)!;
  return `Network device statistic ${direction}_${what}.`;
}

/** Network interfaces: node_exporter's 16 cumulative counters and our rates of the main 8. */
export class NetworkArea {
  private readonly counters: Counter[];
  private readonly rates: Gauge[];
  private readonly interfaces = new DeviceTable<InterfaceState>();
  private lastAt = Number.NaN;

  constructor(
    registry: MetricsRegistry,
    private readonly record: Recorder,
    private readonly filter: InterfaceFilter,
  ) {
    this.counters = NETWORK_COUNTERS.map((name) =>
      registry.counter({
        name,
        help: counterHelp(name),
        ...(name.includes('_bytes_') ? { unit: 'bytes' } : {}),
      }),
    );
    this.rates = NETWORK_RATES.map(({ name, unit }) =>
      registry.gauge({
        name,
        help: `${name.replace(/^system_network_|_per_second$/g, '').replace('_', ' ')} per second over the last interval.`,
        unit,
        aggregation: HOST_AGGREGATION,
      }),
    );
  }

  /** True when `reading` passes the interface filter. */
  accepts(reading: InterfaceReading): boolean {
    return this.accept(reading.device, reading.virtual === true);
  }

  /** The interface filter on a name and whether the interface is virtual (for sources that filter first). */
  readonly accept = (device: string, virtual: boolean): boolean =>
    !(this.filter.excludeVirtual && virtual) && this.filter.names.accepts(device);

  /**
   * Takes a reading of every interface at `at` (performance.now(), ms); records the rate samples
   * of those the filter accepts and adds them to `samples` when given. An interface whose
   * counters have all read 0 since it was first seen gives no samples (its gauges and counters
   * are still set): they start with its first byte or packet.
   */
  update(readings: readonly InterfaceReading[], at: number, timestamp: number, samples?: SampleList): void {
    const seconds = (at - this.lastAt) / 1000;
    this.lastAt = at;
    this.interfaces.begin();
    for (let n = 0; n < readings.length; n++) {
      const reading = readings[n]!;
      if (!this.accepts(reading)) continue;
      const state = this.interfaces.get(reading.device, this.createInterface);
      for (let i = 0; i < NETWORK_COUNTERS.length; i++) {
        const raw = reading.counters[i];
        if (raw === undefined) {
          state.deltas[i] = Number.NaN;
          continue;
        }
        state.counters[i] ??= new KernelCounter(this.counters[i]!.bind(state.labels), 'wrap');
        state.deltas[i] = state.counters[i]!.update(raw);
        if (raw !== 0) state.carried = true;
      }
      if (!(seconds > 0)) continue;
      for (let r = 0; r < NETWORK_RATES.length; r++) {
        const rate = NETWORK_RATES[r]!;
        const delta = state.deltas[rate.column]!;
        if (Number.isNaN(delta)) continue;
        const series = state.rates[r]!;
        series.set(delta / seconds);
        // An interface that never carried anything (an unused ifb or dummy, a link never up)
        // is in the registry with its zero counters and rates, but fills no buffer with zeros.
        if (!state.carried) continue;
        recordGauge(this.record, samples, rate.name, series.value, rate.unit, timestamp, state.labels);
      }
    }
    this.interfaces.sweep(this.removeInterface);
  }

  /** performance.now() of the last reading (NaN before the first). */
  get lastReadingAt(): number {
    return this.lastAt;
  }

  private readonly removeInterface = (state: InterfaceState): void => {
    for (const counter of this.counters) counter.remove(state.labels);
    for (const gauge of this.rates) gauge.remove(state.labels);
  };

  private readonly createInterface = (device: string): InterfaceState => {
    const labels = Object.freeze({ [Label.DEVICE]: device });
    return {
      labels,
      counters: NETWORK_COUNTERS.map(() => undefined),
      deltas: new Float64Array(NETWORK_COUNTERS.length),
      rates: this.rates.map((gauge) => gauge.bind(labels)),
      carried: false,
    };
  };
}
