import {
  type Counter,
  type Gauge,
  type GaugeSeries,
  type Labels,
  type MetricsRegistry,
  MetricType,
  type PerformanceMetric,
} from '@fw0/metrics-core';
import type { NameFilter } from '../filters.js';
import { Label, NETWORK_COUNTERS, NETWORK_RATES } from '../names.js';
import type { InterfaceReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { KernelCounter } from '../tracking/kernel-counter.js';
import { HOST_AGGREGATION, type Recorder } from '../tracking/recorder.js';

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
    if (this.filter.excludeVirtual && reading.virtual === true) return false;
    return this.filter.names.accepts(reading.device);
  }

  /** Takes a reading of every interface at `at` (performance.now(), ms); returns the rate samples of those the filter accepts. */
  update(readings: readonly InterfaceReading[], at: number, timestamp: number): PerformanceMetric[] {
    const seconds = (at - this.lastAt) / 1000;
    this.lastAt = at;
    const samples: PerformanceMetric[] = [];
    this.interfaces.begin();
    for (const reading of readings) {
      if (!this.accepts(reading)) continue;
      const state = this.interfaces.get(reading.device, () => this.createInterface(reading.device));
      for (let i = 0; i < NETWORK_COUNTERS.length; i++) {
        const raw = reading.counters[i];
        if (raw === undefined) {
          state.deltas[i] = Number.NaN;
          continue;
        }
        state.counters[i] ??= new KernelCounter(this.counters[i]!.bind(state.labels), 'wrap');
        state.deltas[i] = state.counters[i]!.update(raw);
      }
      if (!(seconds > 0)) continue;
      for (let r = 0; r < NETWORK_RATES.length; r++) {
        const rate = NETWORK_RATES[r]!;
        const delta = state.deltas[rate.column]!;
        if (Number.isNaN(delta)) continue;
        const series = state.rates[r]!;
        series.set(delta / seconds);
        samples.push(
          this.record({
            name: rate.name,
            value: series.value,
            type: MetricType.GAUGE,
            unit: rate.unit,
            tags: state.labels,
            timestamp,
          }),
        );
      }
    }
    this.interfaces.sweep((state) => {
      for (const counter of this.counters) counter.remove(state.labels);
      for (const gauge of this.rates) gauge.remove(state.labels);
    });
    return samples;
  }

  /** performance.now() of the last reading (NaN before the first). */
  get lastReadingAt(): number {
    return this.lastAt;
  }

  private createInterface(device: string): InterfaceState {
    const labels = Object.freeze({ [Label.DEVICE]: device });
    return {
      labels,
      counters: NETWORK_COUNTERS.map(() => undefined),
      deltas: new Float64Array(NETWORK_COUNTERS.length),
      rates: this.rates.map((gauge) => gauge.bind(labels)),
    };
  }
}
