import { metrics as otelMetrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import promClient from 'prom-client';
import { BATCH } from '../../../bench-support/harness.js';

/** Label values of the labelled cases: four routes and methods, as a service would see them. */
export const ROUTES = ['/users', '/orders', '/cart', '/health'];
export const METHODS = ['GET', 'POST', 'GET', 'GET'];
/** Latency-like values (1 ms to about 20 s), shuffled so branches are not predictable. */
export const VALUES = Float64Array.from({ length: BATCH }, (_, n) => 0.001 * 1.01 ** ((n * 7919) % BATCH));
/** Amounts in a currency (0.01 to about 200), shuffled. */
export const AMOUNTS = Float64Array.from(
  { length: BATCH },
  (_, n) => Math.round(100 * 1.005 ** ((n * 7919) % BATCH)) / 100,
);

/**
 * A reader that exports only when asked: with a reader attached the SDK really aggregates
 * (a MeterProvider without readers creates no metric storage and records nothing).
 */
class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** The same instruments in prom-client and OpenTelemetry, labelled by route and method. */
export function createAnchors() {
  const registry = new promClient.Registry();
  const labelNames = ['route', 'method'];
  const prom = {
    registry,
    counter: new promClient.Counter({ name: 'p_orders_total', help: 'h', labelNames, registers: [registry] }),
    plainCounter: new promClient.Counter({ name: 'p_plain_total', help: 'h', registers: [registry] }),
    gauge: new promClient.Gauge({ name: 'p_queue_length', help: 'h', labelNames, registers: [registry] }),
    histogram: new promClient.Histogram({
      name: 'p_latency_seconds',
      help: 'h',
      labelNames,
      registers: [registry],
    }),
    revenue: new promClient.Histogram({
      name: 'p_revenue_eur',
      help: 'h',
      labelNames,
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
      registers: [registry],
    }),
  };
  const child = { route: '/users', method: 'GET' };
  const promChildren = {
    counter: prom.counter.labels(child),
    gauge: prom.gauge.labels(child),
    histogram: prom.histogram.labels(child),
  };

  otelMetrics.disable();
  const reader = new OnDemandReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('bench');
  const otel = {
    counter: meter.createCounter('o_orders'),
    gauge: meter.createGauge('o_queue_length'),
    histogram: meter.createHistogram('o_latency', { unit: 's' }),
    revenue: meter.createHistogram('o_revenue', { unit: 'EUR' }),
    attributes: child,
    reader,
  };
  return { prom, promChildren, otel };
}
