import type { Counter, Gauge, Logger, MetricsRegistry } from '@fw0/metrics-core';
import { PushMetricName } from '../names.js';

/** The fw0_push_* self-metrics of `exporter` in `registry`, read now. */
export function pushStats(registry: MetricsRegistry, exporter = 'remote_write') {
  const counter = (name: string, labels: Record<string, string> = {}) =>
    (registry.getMetric(name) as Counter | undefined)?.get({ exporter, ...labels }) ?? 0;
  const gauge = (name: string) => (registry.getMetric(name) as Gauge | undefined)?.get({ exporter });
  return {
    sent: counter(PushMetricName.SENT_SAMPLES),
    sentBytes: counter(PushMetricName.SENT_BYTES),
    droppedQueueFull: counter(PushMetricName.DROPPED_SAMPLES, { reason: 'queue_full' }),
    droppedRejected: counter(PushMetricName.DROPPED_SAMPLES, { reason: 'rejected' }),
    droppedShutdown: counter(PushMetricName.DROPPED_SAMPLES, { reason: 'shutdown' }),
    failed: (reason: string) => counter(PushMetricName.FAILED_REQUESTS, { reason }),
    queueSamples: gauge(PushMetricName.QUEUE_SAMPLES),
    lastSuccess: gauge(PushMetricName.LAST_SUCCESS),
    collectorErrors:
      (registry.self.collectorErrors as Counter).get({ collector: exporter, operation: 'push' }) ?? 0,
  };
}

/** A logger that keeps every message, for asserting on what was logged. */
export function recordingLogger(): Logger & {
  readonly lines: { level: string; message: string; fields: unknown }[];
} {
  const lines: { level: string; message: string; fields: unknown }[] = [];
  const log = (level: string) => (message: string, fields?: unknown) =>
    void lines.push({ level, message, fields });
  return { lines, debug: log('debug'), warn: log('warn'), error: log('error') };
}
