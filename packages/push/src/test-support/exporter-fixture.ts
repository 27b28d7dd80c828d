import { afterEach } from 'vitest';
import { RemoteWriteExporter } from '../remote-write/exporter.js';
import type { RemoteWriteOptions } from '../remote-write/options.js';
import type { RemoteTimeSeries } from '../remote-write/write-request.js';
import { type ReceivedRequest, type ScriptedReceiver, startScriptedReceiver } from './scripted-receiver.js';

/**
 * Receivers and exporters for one test file, stopped after each test (exporters within 200 ms,
 * receivers closed with their connections).
 */
export function useExporterFixture() {
  const receivers: ScriptedReceiver[] = [];
  const exporters: RemoteWriteExporter[] = [];
  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((item) => item.stop({ timeoutMs: 200 })));
    await Promise.all(receivers.splice(0).map((item) => item.close()));
  });
  return {
    /** A scripted receiver on `port` (default: a free one), over HTTPS when given a certificate. */
    async receiver(port = 0, tls?: { key: string; cert: string }): Promise<ScriptedReceiver> {
      const started = await startScriptedReceiver(port, tls);
      receivers.push(started);
      return started;
    },
    /** A remote-write exporter (not started). */
    exporter(options: RemoteWriteOptions): RemoteWriteExporter {
      const created = new RemoteWriteExporter(options);
      exporters.push(created);
      return created;
    },
  };
}

/** A series' labels as an object. */
export function labelsOf(series: RemoteTimeSeries): Record<string, string> {
  return Object.fromEntries(series.labels.map((label) => [label.name, label.value]));
}

/** The series of a received request named `name`. */
export function named(request: ReceivedRequest, name: string): RemoteTimeSeries[] {
  return request.write!.timeseries.filter((series) => labelsOf(series).__name__ === name);
}

/** A short, deterministic backoff for tests: 50 ms, doubling up to 400 ms, no jitter. */
export const FAST_RETRY = { initialBackoffMs: 50, maxBackoffMs: 400, jitter: 0 } as const;
