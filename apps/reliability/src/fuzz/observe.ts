import {
  type Collector,
  type MetricsRegistry,
  type ParsedSample,
  parseExposition,
  serializeOpenMetrics,
  serializePrometheus,
} from '@fw0/metrics-core';

/**
 * What the fuzz properties observe of a registry: its exposition in both text formats (read
 * back with core's parser), and a fingerprint of everything a caller can see, to prove that a
 * rejected call changed nothing.
 */

/** Every sample of a text exposition, parsed back with core's parser. */
export function parsedSamples(text: string): ParsedSample[] {
  return parseExposition(text).families.flatMap((family) => family.samples);
}

/** True when two label sets hold the same names and values. */
export function sameLabels(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}

/** The samples named `name` with exactly the labels `labels`. */
export function samplesOf(
  samples: readonly ParsedSample[],
  name: string,
  labels: Readonly<Record<string, string>>,
): ParsedSample[] {
  return samples.filter((sample) => sample.name === name && sameLabels(sample.labels, labels));
}

/** The value of the one sample `name{labels}`, undefined if none; throws if there are several. */
export function sampleValueOf(
  samples: readonly ParsedSample[],
  name: string,
  labels: Readonly<Record<string, string>>,
): number | undefined {
  const found = samplesOf(samples, name, labels);
  if (found.length > 1)
    throw new Error(`${found.length} samples ${name}${JSON.stringify(labels)}: expected one`);
  return found[0]?.value;
}

/** Prometheus text of the registry as it is now (no collector refreshed). */
export function prometheusText(registry: MetricsRegistry): string {
  return serializePrometheus(registry.snapshot({ sketches: false }));
}

/** Everything observable of a registry: both expositions, the definitions, the collectors. */
export function registryFingerprint(registry: MetricsRegistry, definitions = true): string {
  const snapshot = registry.snapshot({ sketches: false });
  return JSON.stringify({
    prometheus: serializePrometheus(snapshot),
    openmetrics: serializeOpenMetrics(snapshot),
    // Self-metrics (fw0_*) are defined lazily, on first use: their definitions are not state.
    definitions: definitions
      ? registry
          .getMetrics()
          .filter((metric) => !metric.name.startsWith('fw0_'))
          .map((metric) => [metric.type, metric.name, metric.unit ?? null, metric.help])
      : [],
    collectors: registry.collectors.map((collector: Collector) => collector.name),
  });
}

/** Throws when the fingerprint changed, showing the first difference. */
export function ensureUnchanged(before: string, after: string, what: string): void {
  if (before === after) return;
  let at = 0;
  while (at < before.length && before[at] === after[at]) at++;
  throw new Error(
    `${what}: a rejected call changed the observable state at ${at}: ${JSON.stringify(before.slice(Math.max(0, at - 80), at + 120))} -> ${JSON.stringify(after.slice(Math.max(0, at - 80), at + 120))}`,
  );
}

/** Ref'd timers of the process now: those that keep it alive (`process.getActiveResourcesInfo()`). */
export function refedTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/** Lets pending callbacks run: two turns of the event loop. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Records the promise rejections nobody handled from now on (beside vitest's own report), so
 * that a property can fail on the case that caused one. `stop()` removes the listener.
 */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', listener);
  return { reasons, stop: () => process.off('unhandledRejection', listener) };
}

/** Waits (bounded: 2 s, in steps of 10 ms) until `condition` holds; false if it never did. */
export async function eventually(condition: () => boolean): Promise<boolean> {
  for (let round = 0; round < 200; round++) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

/**
 * The end of a case that started background work: no ref'd timer beyond `timersBefore` (within
 * 2 s), then, a turn of the event loop later, no unhandled rejection since the suite began.
 */
export async function ensureQuiet(
  rejections: { readonly reasons: readonly unknown[] },
  timersBefore: number,
  what: string,
): Promise<void> {
  if (!(await eventually(() => refedTimers() <= timersBefore)))
    throw new Error(`${what}: ${refedTimers() - timersBefore} timers keep the process alive`);
  await settle();
  if (rejections.reasons.length > 0)
    throw new Error(`${what}: unhandled rejection ${String(rejections.reasons[0])}`, {
      cause: rejections.reasons[0],
    });
}
