import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

/**
 * A reader collected by hand. Without a reader the OpenTelemetry SDK keeps no storage and its
 * instruments record nothing, so an anchor must have one to measure real aggregation.
 */
export class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** A meter whose instruments really aggregate (a reader is attached), and that reader. */
export function otelMeter(name: string): {
  meter: ReturnType<MeterProvider['getMeter']>;
  reader: ManualReader;
} {
  const reader = new ManualReader();
  return { meter: new MeterProvider({ readers: [reader] }).getMeter(name), reader };
}
