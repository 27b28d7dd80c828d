import { ChildProcess } from 'node:child_process';
import { Worker as ClusterWorker } from 'node:cluster';
import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import {
  type AggregateResult,
  exposeWorkerMetrics,
  getWorkerAggregator,
  isCollectRequest,
  labelSnapshot,
  PROTOCOL,
  WorkerAggregator,
  withWorkerLabel,
} from '@fw0/metrics-cluster';
import {
  ErrorCode,
  exposedSampleNames,
  isFw0Error,
  MetricsRegistry,
  type MetricsSnapshot,
  parseExposition,
  serializeOpenMetrics,
  serializePrometheus,
  toJsonExposition,
} from '@fw0/metrics-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  attempt,
  attemptAsync,
  checkAsyncProperty,
  checkProperty,
  ensure,
  ensureSame,
  expectOutcome,
  Faults,
} from './harness.js';
import {
  anyNumber,
  anyText,
  collectorNameInput,
  collectorNameValid,
  integerIn,
  integerOption,
  junk,
  LABEL_NAME,
  LONE_SURROGATES,
  labelNameInput,
  loggerInput,
  loggerValid,
  METRIC_NAME,
  plainObject,
  unicodeText,
} from './inputs.js';
import {
  ensureQuiet,
  ensureUnchanged,
  parsedSamples,
  refedTimers,
  registryFingerprint,
  watchUnhandledRejections,
} from './observe.js';

/*
 * The bad-input properties of @fw0/metrics-cluster. The models below are written from the
 * package's README (options table, addWorker, "Timeouts and failure reporting", the protocol)
 * and its doc comments, not taken from its code.
 *
 * No process is forked: workers are two worker_threads started once for the whole suite (and a
 * third that exits at once, for "an exited thread"), plus MessagePorts of this thread on which a
 * fake worker answers what a case scripts (that is how unmergeable snapshots are sent). Every
 * thread is terminated at the end; every aggregator and responder a case makes is stopped by it.
 */

// ---------------------------------------------------------------------------------------------
// Threads

/** Where the packages' built entry points are, for threads (which import them by URL). */
function entryOf(name: string): string {
  const path = fileURLToPath(new URL(`../../node_modules/@fw0/${name}/dist/index.js`, import.meta.url));
  return pathToFileURL(realpathSync(path)).href;
}

/** A thread that records `jobs` jobs and one histogram observation, then exposes its registry. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
Promise.all([import(workerData.core), import(workerData.cluster)]).then(([core, clusterPackage]) => {
  const registry = new core.MetricsRegistry();
  registry.counter({ name: 'thread_jobs', help: 'Jobs.' }).add(workerData.jobs);
  registry.histogram({ name: 'thread_seconds', help: 'Time.', unit: 'seconds', buckets: [0.1, 1] }).observe(0.5);
  clusterPackage.exposeWorkerMetrics(registry);
  parentPort.postMessage('ready');
});
`;

interface Threads {
  /** Live threads that answer, with the jobs each recorded. */
  live: { worker: Worker; jobs: number }[];
  /** A thread that has exited. */
  exited: Worker | undefined;
}

const threads: Threads = { live: [], exited: undefined };

function useThreads(): void {
  beforeAll(async () => {
    const workerData = { core: entryOf('metrics-core'), cluster: entryOf('metrics-cluster') };
    for (const jobs of [3, 5]) {
      const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { ...workerData, jobs } });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('test thread not ready within 20 s')), 20_000);
        worker.once('error', reject);
        worker.once('message', () => {
          clearTimeout(timer);
          worker.off('error', reject);
          resolve();
        });
      });
      threads.live.push({ worker, jobs });
    }
    const exited = new Worker('', { eval: true });
    await new Promise((resolve) => exited.once('exit', resolve));
    threads.exited = exited;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(threads.live.map(({ worker }) => worker.terminate()));
  });
}

/** Listeners the package may add to a target, to prove it removes what it added. */
function listenerCounts(target: unknown): string {
  if (target instanceof Worker || target instanceof ChildProcess)
    return ['message', 'exit', 'disconnect', 'error'].map((event) => target.listenerCount(event)).join(',');
  if (target instanceof MessageChannel) return '';
  if (typeof target === 'object' && target !== null && 'listenerCount' in target) {
    const port = target as MessagePort;
    return ['message', 'close'].map((event) => port.listenerCount(event)).join(',');
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Models, from the documentation

const MAX_TIMEOUT_MS = 600_000;
/** README: `workerLabel` cannot be one of the labels it would collide with in the exposition. */
const RESERVED_WORKER_LABELS = ['le', 'quantile', 'fw0_overflow'];

/** The faults of collect()/aggregate() options: an object whose `timeoutMs` is an integer from 1 to 600,000. */
function collectOptionFaults(options: unknown): Faults {
  const faults = new Faults();
  if (options === undefined) return faults;
  if (typeof options !== 'object' || options === null) return faults.add(ErrorCode.INVALID_CONFIG);
  const { timeoutMs } = options as { timeoutMs?: unknown };
  return faults.add(ErrorCode.INVALID_CONFIG, timeoutMs != null && !integerIn(timeoutMs, 1, MAX_TIMEOUT_MS));
}

/** The sum of the counter `name` over its series (gauges combine by their aggregation: not summed here). */
function sumOf(snapshot: MetricsSnapshot, name: string): number {
  let total = 0;
  for (const family of snapshot.families)
    if (family.name === name && family.type === 'counter')
      for (const series of family.series) total += series.value;
  return total;
}

/** Serialises the snapshot in all three formats and reads the text ones back: a scrape that works. */
function ensureServable(snapshot: MetricsSnapshot, what: string): void {
  for (const [format, serialize] of [
    ['prometheus', serializePrometheus],
    ['openmetrics', serializeOpenMetrics],
  ] as const) {
    const written = attempt(() => serialize(snapshot));
    ensure(
      written.ok,
      () => `${what}: ${format} serialisation threw ${String((written as { error: unknown }).error)}`,
    );
    const read = attempt(() => parseExposition(written.value));
    ensure(
      read.ok,
      () => `${what}: the ${format} text does not parse: ${String((read as { error: unknown }).error)}`,
    );
  }
  const json = attempt(() => JSON.stringify(toJsonExposition(snapshot)));
  ensure(json.ok, () => `${what}: the JSON exposition threw ${String((json as { error: unknown }).error)}`);
}

// ---------------------------------------------------------------------------------------------
// Generators

const timeoutInput: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: integerOption(1, MAX_TIMEOUT_MS), weight: 8 },
);

// ---------------------------------------------------------------------------------------------
// Fake workers: a port of this thread that answers what a case scripts

/** What a fake worker does with a collect request. */
type FakeReply =
  | { readonly kind: 'snapshot'; readonly snapshot: unknown; readonly asText: boolean }
  | { readonly kind: 'error' }
  | { readonly kind: 'junk'; readonly value: unknown }
  | { readonly kind: 'wrong-id' }
  | { readonly kind: 'silent' };

/** A port whose other end answers collect requests as `reply` says. */
function fakeWorker(reply: FakeReply): { port: MessagePort; close(): void } {
  const { port1, port2 } = new MessageChannel();
  port2.on('message', (message: unknown) => {
    if (!isCollectRequest(message)) return;
    const id = message.id;
    if (reply.kind === 'snapshot') {
      const snapshot = reply.asText ? JSON.stringify(reply.snapshot) : reply.snapshot;
      port2.postMessage({ protocol: PROTOCOL, kind: 'snapshot', id, snapshot });
    } else if (reply.kind === 'error')
      port2.postMessage({ protocol: PROTOCOL, kind: 'error', id, message: 'boom' });
    else if (reply.kind === 'junk')
      port2.postMessage({ protocol: PROTOCOL, kind: 'snapshot', id, snapshot: reply.value });
    else if (reply.kind === 'wrong-id')
      port2.postMessage({
        protocol: PROTOCOL,
        kind: 'snapshot',
        id: `${id}x`,
        snapshot: { timestamp: 0, families: [] },
      });
  });
  return {
    port: port1,
    close: () => {
      port1.close();
      port2.close();
    },
  };
}

/** Names that collide in every way: the same, `_total`, `_count`, the aggregator's own self-metrics. */
const FAMILY_NAMES = [
  'jobs',
  'jobs',
  'jobs_total',
  'latency_seconds',
  'latency_seconds_count',
  'queue',
  'x:y',
  'fw0_workers',
  'fw0_worker_collect_failures_total',
];
const BOUNDS = [
  [0.1, 1],
  [0.5],
  [0.1, 1, 10],
  [1, 0.1],
  [],
  [Number.NaN],
  [0.1, 0.1],
  [0, Number.POSITIVE_INFINITY],
];
const ACCURACIES = [0.01, 0.01, 0.02, 0, 1, 5, -1, Number.NaN];

const snapshotLabelName = fc.oneof(
  { arbitrary: fc.constantFrom('zone', 'queue', 'worker', 'exported_worker', 'instance'), weight: 6 },
  {
    arbitrary: fc.constantFrom('le', 'quantile', 'fw0_overflow', '__name__', 'a b', '', '1x', 'é'),
    weight: 1,
  },
);
const snapshotLabelValue = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'b', '', 'é😀', '"\\\n'), weight: 6 },
  { arbitrary: fc.constantFrom(5, null, {}, `x${LONE_SURROGATES[0]}`), weight: 1 },
);
const labelsInput = fc.oneof(
  { arbitrary: fc.dictionary(snapshotLabelName, snapshotLabelValue, { maxKeys: 2 }), weight: 10 },
  { arbitrary: fc.constantFrom(null, 'zone=a', []), weight: 1 },
);
const seriesNumber = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 8 },
  { arbitrary: fc.constantFrom(-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '3', null), weight: 1 },
);

/** A family as a worker might send it: mostly what a registry makes, sometimes broken. */
const familyInput = fc
  .record({
    name: fc.oneof(
      { arbitrary: fc.constantFrom(...FAMILY_NAMES), weight: 10 },
      { arbitrary: fc.constantFrom('a b', '', '__x', '1x', 'é', 5, null), weight: 1 },
    ),
    type: fc.oneof(
      { arbitrary: fc.constantFrom('counter', 'gauge', 'histogram'), weight: 10 },
      { arbitrary: fc.constantFrom('summary', 'Counter', null), weight: 1 },
    ),
    help: fc.oneof(
      { arbitrary: fc.constantFrom('Help.', '', 'a\nb'), weight: 10 },
      { arbitrary: fc.constantFrom(5, null), weight: 1 },
    ),
    unit: fc.oneof(
      { arbitrary: fc.constantFrom(undefined, 'seconds'), weight: 10 },
      { arbitrary: fc.constantFrom(5, {}), weight: 1 },
    ),
    aggregation: fc.oneof(
      { arbitrary: fc.constantFrom('sum', 'min', 'max', 'last'), weight: 10 },
      { arbitrary: fc.constantFrom('avg', undefined), weight: 1 },
    ),
    bounds: fc.constantFrom(...BOUNDS),
    relativeAccuracy: fc.constantFrom(...ACCURACIES),
    series: fc.array(
      fc.record({
        labels: labelsInput,
        value: seriesNumber,
        extraBucket: fc.nat(10),
        sketch: fc.constantFrom('none', 'none', 'junk'),
      }),
      { maxLength: 3 },
    ),
  })
  .map((family) => {
    const histogram = family.type === 'histogram';
    const bucketCount = family.bounds.length + 1 + (family.series[0]?.extraBucket === 0 ? 1 : 0);
    return {
      name: family.name,
      type: family.type,
      help: family.help,
      unit: family.unit,
      ...(family.type === 'gauge' ? { aggregation: family.aggregation } : {}),
      ...(histogram
        ? { bounds: family.bounds, relativeAccuracy: family.relativeAccuracy, windowSeconds: 0 }
        : {}),
      series: family.series.map((series) =>
        histogram
          ? {
              labels: series.labels,
              count: series.value,
              sum: series.value,
              bucketCounts: new Array(bucketCount).fill(0).map((_, i) => (i === 0 ? series.value : 0)),
              ...(series.sketch === 'junk' ? { sketch: { junk: true }, window: { positive: 5 } } : {}),
            }
          : { labels: series.labels, value: series.value },
      ),
    };
  });

const fakeReplyInput: fc.Arbitrary<FakeReply> = fc.oneof(
  {
    arbitrary: fc
      .record({
        families: fc.array(familyInput, { maxLength: 3 }),
        asText: fc.boolean(),
        timestamp: fc.constantFrom(1, 0, -5, Number.NaN),
      })
      .map(({ families, asText, timestamp }) => ({
        kind: 'snapshot' as const,
        snapshot: { timestamp, families },
        asText,
      })),
    weight: 12,
  },
  { arbitrary: fc.constant({ kind: 'error' as const }), weight: 1 },
  {
    arbitrary: fc
      .constantFrom<unknown>(
        null,
        5,
        'not json',
        '{"timestamp":1}',
        { families: [] },
        { timestamp: 1, families: {} },
        [],
      )
      .map((value) => ({ kind: 'junk' as const, value })),
    weight: 1,
  },
  { arbitrary: fc.constantFrom({ kind: 'wrong-id' as const }, { kind: 'silent' as const }), weight: 1 },
);

/**
 * Whether a snapshot is one a worker's registry can send (README: a worker whose answer "is not
 * a snapshot (another version, a bug)" is reported as `invalid_reply` and left out): families
 * with a metric name, help text, a known type (a known aggregation for gauges; increasing finite
 * bounds and an accuracy between 0 and 1 for histograms), series whose labels are valid label
 * names (`le` not on a histogram) with text values, and numbers where numbers go.
 */
function snapshotValid(snapshot: unknown): snapshot is MetricsSnapshot {
  if (!plainObject(snapshot) || typeof snapshot.timestamp !== 'number' || !Array.isArray(snapshot.families))
    return false;
  return (snapshot.families as unknown[]).every((family) => {
    if (!plainObject(family)) return false;
    const { name, help, unit, type } = family;
    if (typeof name !== 'string' || !METRIC_NAME.test(name) || name.startsWith('__')) return false;
    if (typeof help !== 'string' || (unit !== undefined && typeof unit !== 'string')) return false;
    if (!Array.isArray(family.series)) return false;
    const histogram = type === 'histogram';
    if (type === 'gauge' && !['sum', 'min', 'max', 'last'].includes(family.aggregation as string))
      return false;
    if (!histogram && type !== 'counter' && type !== 'gauge') return false;
    if (histogram) {
      const bounds = family.bounds;
      if (!Array.isArray(bounds) || bounds.length === 0) return false;
      if (!bounds.every((bound, i) => Number.isFinite(bound) && (i === 0 || bound > bounds[i - 1])))
        return false;
      const accuracy = family.relativeAccuracy;
      if (typeof accuracy !== 'number' || !(accuracy > 0 && accuracy < 1)) return false;
    }
    return (family.series as unknown[]).every((series) => {
      if (!plainObject(series) || !plainObject(series.labels)) return false;
      const labelsOk = Object.entries(series.labels).every(
        ([label, value]) =>
          LABEL_NAME.test(label) &&
          !label.startsWith('__') &&
          !(histogram && label === 'le') &&
          typeof value === 'string' &&
          value.isWellFormed(),
      );
      if (!labelsOk) return false;
      if (!histogram) return typeof series.value === 'number';
      const counts = series.bucketCounts;
      return (
        typeof series.count === 'number' &&
        typeof series.sum === 'number' &&
        Array.isArray(counts) &&
        counts.length === (family.bounds as unknown[]).length + 1 &&
        counts.every((count) => typeof count === 'number')
      );
    });
  });
}

/** A snapshot after the trip: JSON text loses NaN and infinities (they become null). */
function afterTransport(reply: FakeReply & { kind: 'snapshot' }): unknown {
  return reply.asText ? JSON.parse(JSON.stringify(reply.snapshot)) : structuredClone(reply.snapshot);
}

type Family = MetricsSnapshot['families'][number];

/** Merges in order (README: core's mergeSnapshots), saying which snapshots cannot merge. */
class MergeModel {
  private readonly families = new Map<string, Family>();
  private readonly exposed = new Map<string, string>();

  /** Takes `snapshot` if it merges with what was taken (all of it or none); false if it conflicts. */
  take(snapshot: MetricsSnapshot): boolean {
    const families = new Map(this.families);
    const exposed = new Map(this.exposed);
    for (const family of snapshot.families) {
      const first = families.get(family.name);
      if (first === undefined) {
        const samples = exposedSampleNames(family.type, family.name);
        if (samples.some((sample) => exposed.has(sample))) return false;
        for (const sample of samples) exposed.set(sample, family.name);
        families.set(family.name, family);
      } else {
        if (first.type !== family.type) return false;
        if (first.type === 'histogram' && family.type === 'histogram') {
          if (JSON.stringify(first.bounds) !== JSON.stringify(family.bounds)) return false;
          if (first.relativeAccuracy !== family.relativeAccuracy) return false;
        }
      }
    }
    for (const [name, family] of families) this.families.set(name, family);
    for (const [sample, name] of exposed) this.exposed.set(sample, name);
    return true;
  }
}

type TargetKind =
  | 'thread-0'
  | 'thread-1'
  | 'port'
  | 'same'
  | 'silent-port'
  | 'closed-port'
  | 'exited-thread'
  | 'child'
  | 'cluster-worker'
  | 'object'
  | 'null'
  | 'number'
  | 'port-like';

// ---------------------------------------------------------------------------------------------
// Properties

export function clusterProperties(): void {
  describe('@fw0/metrics-cluster', () => {
    useThreads();
    const rejections = watchUnhandledRejections();
    afterAll(() => rejections.stop());

    it('getWorkerAggregator / new WorkerAggregator: options, then a collection and stop()', async () => {
      await checkAsyncProperty(
        'cluster.aggregator-options',
        fc.record({
          useFactory: fc.boolean(),
          options: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 1 },
            { arbitrary: fc.constantFrom(null, 'x', 5, true), weight: 1 },
            {
              arbitrary: fc.record(
                {
                  name: collectorNameInput(['workers', 'a']),
                  local: fc.constantFrom('registry', 'registry', 'duck', 5, {}, null),
                  timeoutMs: timeoutInput,
                  cluster: fc.oneof(fc.boolean(), fc.constantFrom('yes', 1, null)),
                  workerLabel: fc.oneof(
                    labelNameInput(RESERVED_WORKER_LABELS),
                    fc.constantFrom(5, null, 'worker'),
                  ),
                  logger: loggerInput,
                  bufferSize: integerOption(1, 10_000_000),
                  maxSamplesPerSecond: fc.oneof(
                    fc.constant(false),
                    fc.constant(true),
                    integerOption(1, 10_000_000),
                  ),
                },
                { requiredKeys: [] },
              ),
              weight: 12,
            },
          ),
          collectOptions: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 3 },
            {
              arbitrary: fc.record(
                { timeoutMs: timeoutInput, sketches: fc.oneof(fc.boolean(), fc.constantFrom('no', 0, null)) },
                { requiredKeys: [] },
              ),
              weight: 6,
            },
            { arbitrary: fc.constantFrom(null, 5, 'x'), weight: 1 },
          ),
        }),
        async ({ useFactory, options: input, collectOptions: rawCollect }) => {
          let options: unknown = input;
          let local: MetricsRegistry | undefined;
          if (plainObject(input)) {
            const copy: Record<string, unknown> = { ...input };
            if (input.local === 'registry') {
              local = new MetricsRegistry();
              local.counter({ name: 'local_jobs', help: 'Jobs.' }).add(7);
              copy.local = local;
            } else if (input.local === 'duck')
              copy.local = {
                collect: async () => ({ timestamp: 0, families: [] }),
                snapshot: () => ({ timestamp: 0, families: [] }),
              };
            options = copy;
          }
          // A valid timeout of a collection with no worker ends at once: no need to cap it.
          const collectOptions = rawCollect;
          const faults = new Faults();
          if (options !== undefined && !plainObject(options)) faults.add(ErrorCode.INVALID_CONFIG);
          else if (plainObject(options)) {
            const bad = (present: boolean) => faults.add(ErrorCode.INVALID_CONFIG, present);
            bad(!collectorNameValid(options.name ?? 'workers'));
            // README: `local` is a MetricsRegistry (an object that only looks like one is not).
            bad(options.local !== undefined && !(options.local instanceof MetricsRegistry));
            bad(!integerIn(options.timeoutMs ?? 2000, 1, MAX_TIMEOUT_MS));
            bad(typeof (options.cluster ?? true) !== 'boolean');
            const label = options.workerLabel;
            if (label !== undefined) {
              if (typeof label !== 'string') bad(true);
              else
                faults.add(
                  ErrorCode.INVALID_LABEL,
                  !LABEL_NAME.test(label) || label.startsWith('__') || RESERVED_WORKER_LABELS.includes(label),
                );
            }
            bad(!loggerValid(options.logger ?? undefined));
            bad(!integerIn(options.bufferSize ?? 10_000, 1, 10_000_000));
            const perSecond = options.maxSamplesPerSecond ?? 100;
            bad(perSecond !== false && !integerIn(perSecond, 1, 10_000_000));
          }
          const what = `${useFactory ? 'getWorkerAggregator' : 'new WorkerAggregator'}(${JSON.stringify(input)})`;
          const localBefore = local === undefined ? '' : registryFingerprint(local);
          const outcome = attempt(() =>
            useFactory ? getWorkerAggregator(options as never) : new WorkerAggregator(options as never),
          );
          if (!expectOutcome(outcome, faults.codes, what)) {
            if (local !== undefined) ensureUnchanged(localBefore, registryFingerprint(local), what);
            return;
          }
          const aggregator = outcome.value;
          try {
            const given = options as Record<string, unknown> | undefined;
            ensure(aggregator.name === (given?.name ?? 'workers'), `${what}: name ${aggregator.name}`);
            ensure(
              aggregator.timeoutMs === (given?.timeoutMs ?? 2000),
              `${what}: timeoutMs ${aggregator.timeoutMs}`,
            );
            ensure(aggregator.workerLabel === given?.workerLabel, `${what}: workerLabel`);
            ensure(aggregator.registry instanceof MetricsRegistry, `${what}: registry`);
            ensure(aggregator.registry.collectors.includes(aggregator), `${what}: not registered`);
            // In this process (a test runner's child, no node:cluster workers) nobody is asked.
            ensureSame(aggregator.workers, [], `${what}: workers`);
            const collectWhat = `${what}.aggregate(${JSON.stringify(collectOptions)})`;
            const collected = await attemptAsync(() => aggregator.aggregate(collectOptions as never));
            if (expectOutcome(collected, collectOptionFaults(collectOptions).codes, collectWhat)) {
              const result: AggregateResult = collected.value;
              ensure(
                result.answered.length === 0 && result.failures.length === 0,
                `${collectWhat}: ${JSON.stringify(result)}`,
              );
              if (local !== undefined)
                ensure(
                  sumOf(result.snapshot, 'local_jobs') === 7,
                  `${collectWhat}: the local registry is not merged`,
                );
              ensureServable(result.snapshot, collectWhat);
            }
            const viaRegistry = await attemptAsync(() =>
              aggregator.registry.collect(collectOptions as never),
            );
            expectOutcome(
              viaRegistry,
              collectOptionFaults(collectOptions).codes,
              `${collectWhat} via registry.collect`,
            );
          } finally {
            await aggregator.stop();
          }
          expectOutcome(
            await attemptAsync(() => aggregator.aggregate()),
            new Set([ErrorCode.CLOSED]),
            `${what}: aggregate() after stop()`,
          );
          const port = new MessageChannel();
          expectOutcome(
            attempt(() => aggregator.addWorker(port.port1)),
            new Set([ErrorCode.CLOSED]),
            `${what}: addWorker() after stop()`,
          );
          port.port1.close();
          if (local !== undefined)
            ensureUnchanged(localBefore, registryFingerprint(local), `${what}: the local registry`);
        },
        2500,
      );
    });

    it('addWorker / removeWorker: odd targets and names, then a collection and stop()', async () => {
      const [first, second] = threads.live;
      const pool = [first!, second!];
      const threadName = (worker: Worker) => `thread-${worker.threadId}`;
      const targetInput = fc.oneof(
        { arbitrary: fc.constantFrom<TargetKind>('thread-0', 'thread-1', 'port', 'port', 'same'), weight: 8 },
        { arbitrary: fc.constantFrom<TargetKind>('silent-port', 'closed-port'), weight: 1 },
        {
          arbitrary: fc.constantFrom<TargetKind>(
            'exited-thread',
            'child',
            'cluster-worker',
            'object',
            'null',
            'number',
            'port-like',
          ),
          weight: 3,
        },
      );
      const addOptionsInput = fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 4 },
        {
          arbitrary: fc.record(
            {
              name: fc.oneof(
                {
                  arbitrary: fc.constantFrom('a', 'b', 'é 😀', `thread-${first!.worker.threadId}`),
                  weight: 4,
                },
                { arbitrary: unicodeText(8).filter((text) => !text.startsWith('port-')), weight: 2 },
                { arbitrary: fc.constantFrom('', `w${LONE_SURROGATES[1]}`, 5, null, undefined), weight: 1 },
              ),
            },
            { requiredKeys: [] },
          ),
          weight: 6,
        },
        { arbitrary: fc.constantFrom(null, 5, 'a'), weight: 1 },
      );
      type Step = { op: 'add'; target: TargetKind; options: unknown } | { op: 'remove'; index: number };
      const stepInput: fc.Arbitrary<Step> = fc.oneof(
        {
          arbitrary: fc.record({
            op: fc.constant('add' as const),
            target: targetInput,
            options: addOptionsInput,
          }),
          weight: 5,
        },
        { arbitrary: fc.record({ op: fc.constant('remove' as const), index: fc.nat(6) }), weight: 1 },
      );
      await checkAsyncProperty(
        'cluster.add-worker',
        fc.record({
          steps: fc.array(stepInput, { minLength: 1, maxLength: 5 }),
          workerLabel: fc.constantFrom(undefined, 'worker'),
        }),
        async ({ steps, workerLabel }) => {
          const made: { target: unknown; kind: TargetKind; baseline: string; close(): void }[] = [];
          const make = (kind: TargetKind): { target: unknown; kind: TargetKind } => {
            let target: unknown;
            let close = () => {};
            if (kind === 'same' && made.length > 0) return made[made.length - 1]!;
            if (kind === 'thread-0' || kind === 'thread-1') {
              target = pool[kind === 'thread-0' ? 0 : 1]!.worker;
              // One entry per thread: its baseline is what it had before this case added it.
              const known = made.find((entry) => entry.target === target);
              if (known !== undefined) return known;
            } else if (kind === 'port' || kind === 'same') {
              const channel = new MessageChannel();
              const registry = new MetricsRegistry();
              registry.counter({ name: 'port_jobs', help: 'Jobs.' }).add(2);
              const responder = exposeWorkerMetrics(registry, { port: channel.port2 });
              target = channel.port1;
              close = () => {
                responder.stop();
                channel.port1.close();
                channel.port2.close();
              };
            } else if (kind === 'silent-port' || kind === 'closed-port') {
              const channel = new MessageChannel();
              target = channel.port1;
              close = () => {
                channel.port1.close();
                channel.port2.close();
              };
              if (kind === 'closed-port') close();
            } else if (kind === 'exited-thread') target = threads.exited;
            else if (kind === 'child') target = new ChildProcess();
            else if (kind === 'cluster-worker') target = new ClusterWorker();
            else if (kind === 'object') target = {};
            else if (kind === 'null') target = null;
            else if (kind === 'number') target = 5;
            else target = { postMessage() {}, on() {}, off() {}, once() {} };
            const entry = {
              target,
              kind: kind === 'same' ? 'port' : kind,
              baseline: listenerCounts(target),
              close,
            };
            made.push(entry);
            return entry;
          };
          const timersBefore = refedTimers();
          const aggregator = getWorkerAggregator({
            cluster: false,
            timeoutMs: 150,
            ...(workerLabel === undefined ? {} : { workerLabel }),
          });
          const added = new Map<unknown, { name: string; kind: TargetKind }>();
          const what = `steps ${JSON.stringify(steps)} workerLabel ${workerLabel}`;
          try {
            for (const [index, step] of steps.entries()) {
              const stepWhat = `${what}, step ${index}`;
              if (step.op === 'remove') {
                const entry = made.length === 0 ? undefined : made[step.index % made.length];
                const target = entry?.target ?? {};
                const removed = attempt(() => aggregator.removeWorker(target as never));
                ensure(
                  removed.ok && removed.value === added.has(target),
                  `${stepWhat}: removeWorker gave ${JSON.stringify(removed)}`,
                );
                added.delete(target);
                if (entry !== undefined && ![...added.keys()].includes(target))
                  ensure(
                    listenerCounts(target) === entry.baseline,
                    `${stepWhat}: listeners left on a removed target`,
                  );
                ensureSame(
                  aggregator.workers,
                  [...added.values()].map((item) => item.name),
                  `${stepWhat}: workers`,
                );
                continue;
              }
              const { target, kind } = make(step.target);
              const options = step.options;
              const faults = new Faults();
              const existing = added.get(target);
              let expectedName: string | undefined;
              if (options !== undefined && (typeof options !== 'object' || options === null))
                faults.add(ErrorCode.INVALID_CONFIG);
              else if (existing !== undefined) expectedName = existing.name;
              else {
                const name = (options as { name?: unknown } | undefined)?.name;
                faults.add(ErrorCode.INVALID_CONFIG, name !== undefined && !collectorNameValid(name));
                const targetOk =
                  kind === 'thread-0' || kind === 'thread-1' || kind.endsWith('port') || kind === 'port';
                faults.add(ErrorCode.INVALID_CONFIG, !targetOk || kind === 'port-like');
                if (targetOk && kind !== 'port-like') {
                  expectedName =
                    typeof name === 'string'
                      ? name
                      : kind.startsWith('thread')
                        ? threadName(target as Worker)
                        : undefined;
                  faults.add(
                    ErrorCode.INVALID_CONFIG,
                    expectedName !== undefined &&
                      [...added.values()].some((item) => item.name === expectedName),
                  );
                }
              }
              const before = registryFingerprint(aggregator.registry, false);
              const listenersBefore = listenerCounts(target);
              const workersBefore = aggregator.workers;
              const stepLabel = `${stepWhat}: addWorker(${kind}, ${JSON.stringify(options)})`;
              const outcome = attempt(() => aggregator.addWorker(target as never, options as never));
              if (!expectOutcome(outcome, faults.codes, stepLabel)) {
                ensureUnchanged(before, registryFingerprint(aggregator.registry, false), stepLabel);
                ensure(listenerCounts(target) === listenersBefore, `${stepLabel}: listeners changed`);
                ensureSame(aggregator.workers, workersBefore, `${stepLabel}: workers`);
                continue;
              }
              const name = outcome.value;
              if (expectedName !== undefined)
                ensure(name === expectedName, `${stepLabel}: named ${name}, expected ${expectedName}`);
              else ensure(/^port-\d+$/.test(name), `${stepLabel}: default port name ${name}`);
              if (existing === undefined) added.set(target, { name, kind });
              ensureSame(
                aggregator.workers,
                [...added.values()].map((item) => item.name),
                `${stepLabel}: workers`,
              );
            }
            const collected = await attemptAsync(() => aggregator.aggregate());
            ensure(
              collected.ok,
              () => `${what}: aggregate() rejected: ${String((collected as { error: unknown }).error)}`,
            );
            const result = collected.value;
            const asked = [...added.values()];
            const seen = [...result.answered, ...result.failures.map((failure) => failure.worker)].sort();
            ensureSame(seen, asked.map((item) => item.name).sort(), `${what}: answered and failed`);
            let threadJobs = 0;
            let portJobs = 0;
            for (const item of asked) {
              const failure = result.failures.find((entry) => entry.worker === item.name);
              const answers = item.kind.startsWith('thread') || item.kind === 'port';
              if (answers) {
                // A worker that answers does so within 150 ms unless this machine stalls.
                ensure(
                  failure === undefined || failure.reason === 'timeout',
                  `${what}: ${item.name} failed: ${failure?.reason}`,
                );
                if (failure === undefined && item.kind === 'port') portJobs += 2;
                if (failure === undefined && item.kind.startsWith('thread'))
                  threadJobs += pool[item.kind === 'thread-0' ? 0 : 1]!.jobs;
              } else
                ensure(
                  failure !== undefined && ['timeout', 'send_failed', 'exited'].includes(failure.reason),
                  `${what}: silent ${item.name} gave ${failure?.reason ?? 'an answer'}`,
                );
            }
            ensure(
              sumOf(result.snapshot, 'thread_jobs') === threadJobs,
              `${what}: thread_jobs ${sumOf(result.snapshot, 'thread_jobs')}`,
            );
            ensure(
              sumOf(result.snapshot, 'port_jobs') === portJobs,
              `${what}: port_jobs ${sumOf(result.snapshot, 'port_jobs')}`,
            );
            if (workerLabel !== undefined) {
              for (const family of result.snapshot.families)
                if (family.name === 'thread_jobs' || family.name === 'port_jobs')
                  for (const series of family.series)
                    ensure(
                      result.answered.includes(series.labels.worker!),
                      `${what}: series of ${series.labels.worker}`,
                    );
            }
            const samples = parsedSamples(serializePrometheus(result.snapshot));
            const workersGauge = (state: string) =>
              samples.find((sample) => sample.name === 'fw0_workers' && sample.labels.state === state)?.value;
            ensure(
              workersGauge('answered') === result.answered.length &&
                workersGauge('failed') === result.failures.length,
              `${what}: fw0_workers`,
            );
            const drained = aggregator.getCollectedMetrics();
            ensureSame(
              drained.map((sample) => sample.tags.worker).sort(),
              [...result.answered].sort(),
              `${what}: answer samples`,
            );
            ensureServable(result.snapshot, what);
          } finally {
            await aggregator.stop();
          }
          for (const entry of made)
            ensure(
              listenerCounts(entry.target) === entry.baseline,
              `${what}: listeners left on ${entry.kind} after stop()`,
            );
          for (const entry of made) entry.close();
          await ensureQuiet(rejections, timersBefore, what);
        },
        300,
      );
    });

    it('what workers answer: unmergeable, malformed, late or failing snapshots', async () => {
      await checkAsyncProperty(
        'cluster.worker-replies',
        fc.record({
          replies: fc.array(fakeReplyInput, { minLength: 1, maxLength: 4 }),
          workerLabel: fc.constantFrom(undefined, 'worker'),
          local: fc.boolean(),
          sketches: fc.boolean(),
        }),
        async ({ replies, workerLabel, local: withLocal, sketches }) => {
          const waits = replies.some((reply) => reply.kind === 'silent' || reply.kind === 'wrong-id');
          const timeoutMs = waits ? 60 : 5000;
          let local: MetricsRegistry | undefined;
          if (withLocal) {
            local = new MetricsRegistry();
            local.counter({ name: 'jobs', help: 'Jobs.' }).add(1);
          }
          const timersBefore = refedTimers();
          const aggregator = getWorkerAggregator({
            cluster: false,
            timeoutMs,
            ...(workerLabel === undefined ? {} : { workerLabel }),
            ...(local === undefined ? {} : { local }),
          });
          const fakes = replies.map((reply) => fakeWorker(reply));
          const names = fakes.map((fake, i) => aggregator.addWorker(fake.port, { name: `w${i}` }));
          const what = `replies ${JSON.stringify(replies)} workerLabel ${workerLabel} local ${withLocal}`;
          try {
            // The documented outcome of each worker, merged in order after this process's own.
            const model = new MergeModel();
            if (local !== undefined) model.take(local.snapshot({ sketches: false }));
            const own: MetricsSnapshot = {
              timestamp: 0,
              families: aggregator.registry
                .getMetrics()
                .map((metric) => metric.snapshot({ sketches: false })),
            };
            model.take(own);
            const expected = replies.map((reply): { reasons: string[]; snapshot?: MetricsSnapshot } => {
              if (reply.kind === 'silent' || reply.kind === 'wrong-id') return { reasons: ['timeout'] };
              if (reply.kind === 'error') return { reasons: ['worker_error'] };
              if (reply.kind === 'junk') return { reasons: ['invalid_reply'] };
              const arrived = afterTransport(reply);
              if (!snapshotValid(arrived)) return { reasons: ['invalid_reply'] };
              const junkSketch = arrived.families.some(
                (family) =>
                  family.type === 'histogram' && family.series.some((series) => series.sketch !== undefined),
              );
              if (!model.take(arrived)) return { reasons: ['merge_conflict'] };
              return junkSketch
                ? { reasons: ['merge_conflict', 'invalid_reply'] }
                : { reasons: [], snapshot: arrived };
            });
            const collected = await attemptAsync(() => aggregator.aggregate({ sketches }));
            ensure(
              collected.ok,
              () => `${what}: aggregate() rejected: ${String((collected as { error: unknown }).error)}`,
            );
            const result = collected.value;
            let jobs = local === undefined ? 0 : 1;
            for (const [i, name] of names.entries()) {
              const failure = result.failures.find((entry) => entry.worker === name);
              const { reasons, snapshot } = expected[i]!;
              const shortWait = waits && failure?.reason === 'timeout';
              if (reasons.length === 0) {
                ensure(
                  (failure === undefined && result.answered.includes(name)) || shortWait,
                  () =>
                    `${what}: ${name} should merge, got ${failure?.reason}: ${String((failure?.error as Error)?.message)}`,
                );
                if (failure === undefined) jobs += sumOf(snapshot!, 'jobs');
              } else {
                ensure(
                  failure !== undefined && (reasons.includes(failure.reason) || shortWait),
                  () =>
                    `${what}: ${name} should fail with ${reasons.join(' or ')}, got ${failure?.reason ?? 'answered'}`,
                );
                if (failure.reason === 'merge_conflict')
                  ensure(
                    isFw0Error(failure.error) && failure.error.code === ErrorCode.MERGE_CONFLICT,
                    `${what}: a merge conflict reported as ${String(failure.error)}`,
                  );
              }
            }
            const merged = sumOf(result.snapshot, 'jobs');
            ensure(
              Object.is(merged, jobs) || Math.abs(merged - jobs) < 1e-9,
              `${what}: jobs ${merged}, expected ${jobs}`,
            );
            ensureServable(result.snapshot, what);
          } finally {
            await aggregator.stop();
            for (const fake of fakes) fake.close();
          }
          await ensureQuiet(rejections, timersBefore, what);
        },
        600,
      );
    });

    it('exposeWorkerMetrics: registries, options, channels, and the requests it hears', async () => {
      const messageInput = fc.oneof(
        {
          arbitrary: fc
            .record({
              id: fc.oneof(
                anyText(12).filter((text) => text.isWellFormed()),
                fc.constantFrom('', 'x'.repeat(5000)),
              ),
              sketches: fc.oneof(fc.boolean(), junk),
              timeoutMs: fc.oneof(anyNumber, junk),
            })
            .map((fields) => ({ protocol: PROTOCOL, kind: 'collect', ...fields })),
          weight: 6,
        },
        {
          arbitrary: fc.constantFrom<unknown>(
            { protocol: 'fw0.metrics.cluster/2', kind: 'collect', id: 'a' },
            { protocol: PROTOCOL, kind: 'snapshot', id: 'a' },
            { protocol: PROTOCOL, kind: 'collect', id: 5 },
            { protocol: PROTOCOL, kind: 'collect' },
            null,
            5,
            'collect',
            [PROTOCOL, 'collect'],
          ),
          weight: 3,
        },
      );
      await checkAsyncProperty(
        'cluster.expose-worker-metrics',
        fc.record({
          registry: fc.constantFrom('registry', 'registry', 'failing', 'duck', null, 5),
          options: fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 1 },
            {
              arbitrary: fc.record(
                {
                  port: fc.constantFrom('port', 'port', 'port', 'port-like', 'object', 5, 'none'),
                  name: collectorNameInput(['workers', 'a']),
                  logger: loggerInput,
                },
                { requiredKeys: ['port'] },
              ),
              weight: 8,
            },
            { arbitrary: fc.constantFrom(null, 5, 'x'), weight: 1 },
          ),
          twice: fc.boolean(),
          messages: fc.array(messageInput, { maxLength: 6 }),
        }),
        async ({ registry: registryKind, options: input, twice, messages }) => {
          let registry: unknown = registryKind;
          if (registryKind === 'registry' || registryKind === 'failing') {
            const real =
              registryKind === 'failing'
                ? new (class extends MetricsRegistry {
                    override collect(): Promise<MetricsSnapshot> {
                      return Promise.reject(new Error('collect failed'));
                    }
                  })()
                : new MetricsRegistry();
            real.counter({ name: 'exposed_jobs', help: 'Jobs.' }).add(4);
            registry = real;
          } else if (registryKind === 'duck')
            registry = { collect: async () => ({ timestamp: 0, families: [] }) };
          const channel = new MessageChannel();
          let options: unknown = input;
          if (plainObject(input)) {
            const copy: Record<string, unknown> = { ...input };
            if (input.port === 'port') copy.port = channel.port2;
            else if (input.port === 'port-like') copy.port = { postMessage() {}, on() {}, off() {} };
            else if (input.port === 'object') copy.port = {};
            else if (input.port === 'none') delete copy.port;
            options = copy;
          }
          const faults = new Faults();
          const bad = (present: boolean) => faults.add(ErrorCode.INVALID_CONFIG, present);
          bad(!(registry instanceof MetricsRegistry));
          if (options !== undefined && !plainObject(options)) bad(true);
          const given = plainObject(options) ? options : {};
          bad(!collectorNameValid(given.name ?? 'worker_metrics'));
          bad(!loggerValid(given.logger ?? undefined));
          const port = given.port;
          if (port === undefined) {
            // README: parentPort in a thread, else the IPC channel of a cluster worker or forked child.
            bad(isMainThread && typeof process.send !== 'function');
          } else
            bad(
              typeof port !== 'object' ||
                port === null ||
                !['postMessage', 'on', 'off'].every(
                  (method) => typeof (port as Record<string, unknown>)[method] === 'function',
                ),
            );
          const what = `exposeWorkerMetrics(${registryKind}, ${JSON.stringify(input)}) twice ${twice} messages ${JSON.stringify(messages)?.slice(0, 600)}`;
          const baseline = listenerCounts(channel.port2);
          const outcome = attempt(() => exposeWorkerMetrics(registry as never, options as never));
          try {
            if (!expectOutcome(outcome, faults.codes, what)) {
              ensure(listenerCounts(channel.port2) === baseline, `${what}: a refused responder listens`);
              return;
            }
            const responder = outcome.value;
            try {
              ensure(responder.listening && responder.requestsAnswered === 0, `${what}: a new responder`);
              ensure(responder.name === (given.name ?? 'worker_metrics'), `${what}: name ${responder.name}`);
              if (twice)
                expectOutcome(
                  attempt(() => exposeWorkerMetrics(new MetricsRegistry(), options as never)),
                  new Set([ErrorCode.INVALID_CONFIG]),
                  `${what}: a second responder on the channel`,
                );
              if (port !== channel.port2) return;
              const replies: {
                id?: unknown;
                kind?: unknown;
                protocol?: unknown;
                snapshot?: unknown;
                message?: unknown;
              }[] = [];
              channel.port1.on('message', (message) => replies.push(message as (typeof replies)[number]));
              const requests = messages.filter((message) => isCollectRequest(message)) as { id: string }[];
              for (const message of messages) channel.port1.postMessage(message);
              const arrived = await (async () => {
                for (let round = 0; round < 200 && replies.length < requests.length; round++)
                  await new Promise((resolve) => setTimeout(resolve, 10));
                await new Promise((resolve) => setTimeout(resolve, 10));
                return replies.length;
              })();
              ensure(
                arrived === requests.length,
                `${what}: ${arrived} replies to ${requests.length} requests`,
              );
              ensureSame(
                replies.map((reply) => reply.id),
                requests.map((request) => request.id),
                `${what}: reply ids`,
              );
              for (const reply of replies) {
                ensure(reply.protocol === PROTOCOL, `${what}: reply protocol`);
                if (registryKind === 'failing') {
                  ensure(
                    reply.kind === 'error' && typeof reply.message === 'string',
                    `${what}: reply ${JSON.stringify(reply)}`,
                  );
                  continue;
                }
                ensure(
                  reply.kind === 'snapshot' && typeof reply.snapshot === 'string',
                  `${what}: reply kind ${String(reply.kind)}`,
                );
                const snapshot = JSON.parse(reply.snapshot as string) as MetricsSnapshot;
                ensure(sumOf(snapshot, 'exposed_jobs') === 4, `${what}: the snapshot lacks exposed_jobs`);
              }
              ensure(
                responder.requestsAnswered === requests.length,
                `${what}: requestsAnswered ${responder.requestsAnswered}`,
              );
              if (registryKind === 'failing') {
                const errors = parsedSamples(
                  serializePrometheus((registry as MetricsRegistry).snapshot()),
                ).find(
                  (sample) =>
                    sample.name === 'fw0_collector_errors_total' &&
                    sample.labels.collector === responder.name,
                )?.value;
                ensure((errors ?? 0) === requests.length, `${what}: ${errors} failures counted`);
              }
              responder.stop();
              ensure(!responder.listening, `${what}: listening after stop()`);
              ensure(listenerCounts(channel.port2) === baseline, `${what}: listener left after stop()`);
              channel.port1.postMessage({
                protocol: PROTOCOL,
                kind: 'collect',
                id: 'after-stop',
                sketches: false,
                timeoutMs: 10,
              });
              await new Promise((resolve) => setTimeout(resolve, 20));
              ensure(replies.length === requests.length, `${what}: an answer after stop()`);
            } finally {
              responder.stop();
            }
            ensure(listenerCounts(channel.port2) === baseline, `${what}: listener left after stop()`);
          } finally {
            channel.port1.close();
            channel.port2.close();
          }
          await ensureQuiet(rejections, refedTimers(), what);
        },
        500,
      );
    });

    it('withWorkerLabel / labelSnapshot: the per-worker view keeps every label', () => {
      const labelName = fc.constantFrom(
        'worker',
        'exported_worker',
        'exported_exported_worker',
        'instance',
        'zone',
        'w',
      );
      checkProperty(
        'cluster.worker-label',
        fc.record({
          labels: fc.dictionary(
            labelName,
            unicodeText(6).filter((text) => text.isWellFormed()),
            { maxKeys: 4 },
          ),
          label: fc.constantFrom('worker', 'instance', 'w'),
          value: unicodeText(8).filter((text) => text.isWellFormed()),
        }),
        ({ labels, label, value }) => {
          const what = `withWorkerLabel(${JSON.stringify(labels)}, ${label}, ${JSON.stringify(value)})`;
          const frozen = Object.freeze({ ...labels });
          const result = withWorkerLabel(frozen, label, value);
          const names = Object.keys(result);
          ensure(Object.isFrozen(result), `${what}: not frozen`);
          ensure(result[label] === value, `${what}: ${label}=${result[label]}`);
          ensure(
            names.every((name, i) => i === 0 || names[i - 1]! < name),
            `${what}: names not sorted`,
          );
          // Nothing lost: the worker's own labels are all there, under their name or renamed.
          ensure(names.length === Object.keys(labels).length + 1, () => `${what}: ${JSON.stringify(result)}`);
          ensureSame(
            Object.values(result).sort(),
            [...Object.values(labels), value].sort(),
            `${what}: label values`,
          );
          for (const [name, text] of Object.entries(labels))
            if (name !== label && !name.startsWith('exported_'))
              ensure(result[name] === text, `${what}: ${name} changed`);
          ensureSame(frozen, labels, `${what}: the input changed`);
          // labelSnapshot: the same on every series of every family, nothing else changed.
          const snapshot: MetricsSnapshot = {
            timestamp: 1,
            families: [
              {
                name: 'c',
                type: 'counter',
                help: '',
                unit: undefined,
                series: [{ labels: frozen, value: 1 }],
              },
              {
                name: 'h',
                type: 'histogram',
                help: '',
                unit: 'seconds',
                bounds: [1],
                relativeAccuracy: 0.01,
                windowSeconds: 0,
                series: [{ labels: frozen, count: 1, sum: 0.5, bucketCounts: [1, 0] }],
              },
            ],
          };
          const labelled = labelSnapshot(snapshot, label, value);
          ensureSame(
            labelled,
            {
              ...snapshot,
              families: snapshot.families.map((family) => ({
                ...family,
                series: family.series.map((series) => ({ ...series, labels: result })),
              })),
            },
            `${what}: labelSnapshot`,
          );
        },
        3000,
      );
    });
  });
}
