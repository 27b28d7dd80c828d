import {
  type Gauge,
  type GaugeSeries,
  type Labels,
  type MetricsRegistry,
  MetricUnit,
  type Unit,
} from '@fw0/metrics-core';
import {
  Label,
  MEMINFO_FIELDS,
  MEMINFO_SAMPLED_FIELDS,
  type MeminfoField,
  MemoryMetric,
  MemorySample,
  meminfoMetricName,
} from '../names.js';
import type { Meminfo } from '../parsers/meminfo.js';
import type { SwapDevice } from '../parsers/swaps.js';
import type { SwapActivityReading } from '../sources/types.js';
import { DeviceTable } from '../tracking/device-table.js';
import { KernelCounter } from '../tracking/kernel-counter.js';
import { HOST_AGGREGATION, type Recorder, recordGauge, type SampleList } from '../tracking/recorder.js';
import { bindUnset } from '../tracking/unset-gauge.js';

/** A meminfo field as exposed: its gauge, and its sample name when it is also a sample. */
interface FieldState {
  readonly name: MeminfoField;
  readonly series: GaugeSeries;
  readonly sample: string | undefined;
}

/** The sample name of MemAvailable, estimated on kernels before 3.14. */
const AVAILABLE_SAMPLE = meminfoMetricName('MemAvailable');

/** Context of the samples computed from an estimated MemAvailable. */
const ESTIMATED = Object.freeze({ availableEstimated: true });

interface SwapDeviceState {
  readonly labels: Labels;
  readonly size: GaugeSeries;
  readonly used: GaugeSeries;
}

/**
 * Memory and swap: /proc/meminfo sizes, used memory (MemTotal - MemAvailable, the memory that
 * cannot be had without swapping), swap use, swap traffic rates and swap areas.
 */
export class MemoryArea {
  /** Every exposed field, names and sample names built once. */
  private readonly fields: readonly FieldState[];
  private readonly availableSeries: GaugeSeries;
  private readonly used: GaugeSeries;
  private readonly utilization: GaugeSeries;
  private readonly swapUsed: GaugeSeries;
  private readonly swapUtilization: GaugeSeries;
  private readonly pagesIn: GaugeSeries;
  private readonly pagesOut: GaugeSeries;
  private readonly swapInRate: GaugeSeries;
  private readonly swapOutRate: GaugeSeries;
  private readonly swapDeviceSize: Gauge;
  private readonly swapDeviceUsed: Gauge;
  private readonly swapDevices = new DeviceTable<SwapDeviceState>();
  private readonly inTracker = new KernelCounter(undefined, 'wrap');
  private readonly outTracker = new KernelCounter(undefined, 'wrap');
  private lastSwapAt = Number.NaN;

  constructor(
    registry: MetricsRegistry,
    private readonly record: Recorder,
  ) {
    const gauge = (name: string, help: string, unit?: Unit) =>
      registry.gauge({ name, help, aggregation: HOST_AGGREGATION, ...(unit ? { unit } : {}) });
    this.fields = MEMINFO_FIELDS.map((field) => ({
      name: field,
      series: bindUnset(gauge(meminfoMetricName(field), `Memory information field ${field}_bytes.`, 'bytes')),
      sample: MEMINFO_SAMPLED_FIELDS.includes(field) ? meminfoMetricName(field) : undefined,
    }));
    this.availableSeries = this.fields.find((field) => field.name === 'MemAvailable')!.series;
    this.used = bindUnset(gauge(MemoryMetric.USED, 'Memory in use: MemTotal - MemAvailable.', 'bytes'));
    this.utilization = bindUnset(
      gauge(MemoryMetric.UTILIZATION, 'Memory in use as a fraction of MemTotal.', 'ratio'),
    );
    this.swapUsed = bindUnset(gauge(MemoryMetric.SWAP_USED, 'Swap in use: SwapTotal - SwapFree.', 'bytes'));
    this.swapUtilization = bindUnset(
      gauge(
        MemoryMetric.SWAP_UTILIZATION,
        'Swap in use as a fraction of SwapTotal (0 without swap).',
        'ratio',
      ),
    );
    this.pagesIn = bindUnset(gauge(MemoryMetric.SWAP_IN_PAGES, '/proc/vmstat information field pswpin.'));
    this.pagesOut = bindUnset(gauge(MemoryMetric.SWAP_OUT_PAGES, '/proc/vmstat information field pswpout.'));
    this.swapInRate = bindUnset(
      gauge(
        MemoryMetric.SWAP_IN_RATE,
        'Bytes swapped in per second over the last interval.',
        'bytes_per_second',
      ),
    );
    this.swapOutRate = bindUnset(
      gauge(
        MemoryMetric.SWAP_OUT_RATE,
        'Bytes swapped out per second over the last interval.',
        'bytes_per_second',
      ),
    );
    this.swapDeviceSize = gauge(MemoryMetric.SWAP_DEVICE_SIZE, 'Size of each swap area.', 'bytes');
    this.swapDeviceUsed = gauge(MemoryMetric.SWAP_DEVICE_USED, 'Used part of each swap area.', 'bytes');
  }

  /**
   * Takes a meminfo reading; records the memory samples and adds them to `samples` when given.
   * Without MemAvailable (kernels before 3.14) available memory is estimated as MemFree +
   * Buffers + Cached and the samples say so in their context (`availableEstimated: true`).
   */
  updateMemory(meminfo: Meminfo, timestamp: number, samples?: SampleList): void {
    const fields = this.fields;
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f]!;
      const value = meminfo.get(field.name);
      if (value === undefined) continue;
      field.series.set(value);
      if (field.sample !== undefined)
        recordGauge(this.record, samples, field.sample, value, MetricUnit.BYTES, timestamp);
    }
    const total = meminfo.get('MemTotal') ?? 0;
    const measured = meminfo.get('MemAvailable');
    const available =
      measured ??
      (meminfo.get('MemFree') ?? 0) + (meminfo.get('Buffers') ?? 0) + (meminfo.get('Cached') ?? 0);
    const context = measured === undefined ? ESTIMATED : undefined;
    if (measured === undefined) {
      this.availableSeries.set(available);
      recordGauge(
        this.record,
        samples,
        AVAILABLE_SAMPLE,
        available,
        MetricUnit.BYTES,
        timestamp,
        undefined,
        context,
      );
    }
    const used = Math.max(0, total - available);
    this.used.set(used);
    this.utilization.set(total > 0 ? used / total : 0);
    recordGauge(
      this.record,
      samples,
      MemorySample.USED,
      used,
      MetricUnit.BYTES,
      timestamp,
      undefined,
      context,
    );
    recordGauge(
      this.record,
      samples,
      MemorySample.UTILIZATION,
      this.utilization.value * 100,
      MetricUnit.PERCENT,
      timestamp,
      undefined,
      context,
    );
    const swapTotal = meminfo.get('SwapTotal');
    const swapFree = meminfo.get('SwapFree');
    if (swapTotal !== undefined && swapFree !== undefined) {
      const swapUsed = Math.max(0, swapTotal - swapFree);
      this.swapUsed.set(swapUsed);
      this.swapUtilization.set(swapTotal > 0 ? swapUsed / swapTotal : 0);
      recordGauge(this.record, samples, MemorySample.SWAP_USED, swapUsed, MetricUnit.BYTES, timestamp);
      recordGauge(
        this.record,
        samples,
        MemorySample.SWAP_UTILIZATION,
        this.swapUtilization.value * 100,
        MetricUnit.PERCENT,
        timestamp,
      );
    }
  }

  /**
   * Takes a swap traffic reading at `at` (performance.now(), ms); records the rate samples (none
   * on the first) and adds them to `samples` when given.
   */
  updateSwapActivity(
    activity: SwapActivityReading,
    at: number,
    timestamp: number,
    samples?: SampleList,
  ): void {
    this.pagesIn.set(activity.pagesIn);
    this.pagesOut.set(activity.pagesOut);
    const pagesIn = this.inTracker.update(activity.pagesIn);
    const pagesOut = this.outTracker.update(activity.pagesOut);
    const seconds = (at - this.lastSwapAt) / 1000;
    this.lastSwapAt = at;
    if (seconds > 0 && Number.isFinite(pagesIn)) {
      this.swapInRate.set((pagesIn * activity.pageSizeBytes) / seconds);
      recordGauge(
        this.record,
        samples,
        MemorySample.SWAP_IN_RATE,
        this.swapInRate.value,
        MetricUnit.BYTES_PER_SECOND,
        timestamp,
      );
    }
    if (seconds > 0 && Number.isFinite(pagesOut)) {
      this.swapOutRate.set((pagesOut * activity.pageSizeBytes) / seconds);
      recordGauge(
        this.record,
        samples,
        MemorySample.SWAP_OUT_RATE,
        this.swapOutRate.value,
        MetricUnit.BYTES_PER_SECOND,
        timestamp,
      );
    }
  }

  /**
   * Records an interval without swap traffic, known without reading /proc/vmstat: the host had
   * no swap area at either end of it (the kernel cannot swap without one). The page counters keep
   * their last reading, which is still true; the rates are 0 (only once a reading set them: they
   * are not made up before the first real one).
   */
  updateNoSwapTraffic(timestamp: number, samples?: SampleList): void {
    if (Number.isNaN(this.lastSwapAt)) return;
    this.swapInRate.set(0);
    this.swapOutRate.set(0);
    recordGauge(this.record, samples, MemorySample.SWAP_IN_RATE, 0, MetricUnit.BYTES_PER_SECOND, timestamp);
    recordGauge(this.record, samples, MemorySample.SWAP_OUT_RATE, 0, MetricUnit.BYTES_PER_SECOND, timestamp);
  }

  /** Takes the list of swap areas (registry only: no samples). */
  updateSwapDevices(devices: readonly SwapDevice[]): void {
    this.swapDevices.begin();
    for (const device of devices) {
      const state = this.swapDevices.get(`${device.device}\u0000${device.type}`, () => {
        const labels = Object.freeze({ [Label.DEVICE]: device.device, [Label.TYPE]: device.type });
        return { labels, size: this.swapDeviceSize.bind(labels), used: this.swapDeviceUsed.bind(labels) };
      });
      state.size.set(device.sizeBytes);
      state.used.set(device.usedBytes);
    }
    this.swapDevices.sweep((state) => {
      this.swapDeviceSize.remove(state.labels);
      this.swapDeviceUsed.remove(state.labels);
    });
  }

  /** performance.now() of the last swap traffic reading (NaN before the first). */
  get lastSwapReadingAt(): number {
    return this.lastSwapAt;
  }
}
