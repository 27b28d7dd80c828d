import { describeValue, InvalidLabelError, type MetricsRegistry } from '@fw0/metrics-core';
import type { HttpOutcome } from './http-measurement.js';
import type { ProbeKind } from './names.js';
import type { TargetSuccessRate } from './options.js';
import { defineProbeInstruments, type ProbeInstruments } from './probe-instruments.js';
import { copyHttpFigures, type GaugePublisher, HTTP_FIGURES, TargetRecorder } from './target-recorder.js';
import { type HttpTarget, parseHttpTarget } from './targets.js';

/** Parsed URLs kept, at most (later ones are parsed on every call). */
const URL_CACHE_LIMIT = 1000;

/**
 * A settled promise: `then` on it queues a microtask (a reaction job), at a fraction of the cost
 * of `queueMicrotask`, which makes an async resource for every call.
 */
const SETTLED = Promise.resolve();

/**
 * Outcomes recorded together: once this many wait, the queue is recorded right after the next
 * request's write. Each recording touches every series and histogram of the targets it records
 * into; in batches, once per batch, not once per request.
 */
export const RECORD_BATCH = 64;

/** Milliseconds a smaller queue waits at most before it is recorded (reads do not wait). */
export const RECORD_DELAY_MS = 100;

/** HTTP outcomes waiting to be recorded, at most: one more is recorded at once, with the rest. */
export const MAX_QUEUED_OUTCOMES = 1024;

/**
 * The recorders of every probe target, at most `maxTargets` kept (a further target's recorder
 * is bound on each call and lands in the registry's overflow series), and a cache of parsed
 * probe URLs.
 *
 * Nothing a probe records is written on the request's own path. HTTP outcomes wait in a queue
 * and are recorded into the counters and histograms in batches, after the caller has gone on
 * (see {@link recordHttpSoon}); the kept recorders' last outcomes are written to the last-probe
 * gauges only when one of those is read. A read hook on every probe metric records the queue and
 * writes the gauges first, so that every read (exposition, `get()`, quantiles, the success rates)
 * sees every probe that has ended.
 */
export class TargetRecorders implements GaugePublisher {
  private readonly instruments: ProbeInstruments;
  private readonly byKey = new Map<string, TargetRecorder>();
  private readonly urls = new Map<string, HttpTarget>();
  /** The string of the last cached target, and that target. */
  private lastUrl: string | undefined;
  private lastTarget: HttpTarget | undefined;
  /** Kept recorders whose last outcome is not written to the gauges yet. */
  private waiting: TargetRecorder[] = [];
  /**
   * HTTP outcomes not recorded yet, and the recorder of each (same index), in the first `queued`
   * entries: the arrays are kept and reused (at most MAX_QUEUED_OUTCOMES long), not made anew
   * for each outcome.
   */
  private readonly queuedOutcomes: (HttpOutcome | undefined)[] = [];
  private readonly queuedRecorders: (TargetRecorder | undefined)[] = [];
  /**
   * The figures of each queued outcome (HTTP_FIGURES numbers each, same index), copied while the
   * outcome is still in the caches: recording a batch reads this one array, not outcomes spread
   * through the heap (each one read there cost more than recording it). Grows by doubling, up to
   * MAX_QUEUED_OUTCOMES outcomes.
   */
  private queuedFigures = new Float64Array(RECORD_BATCH * 2 * HTTP_FIGURES);
  private queued = 0;
  /** True from when a recording of a full batch is scheduled until it runs. */
  private scheduled = false;
  /** Armed when the queue stops being empty: records it at most RECORD_DELAY_MS later. */
  private timer: NodeJS.Timeout | undefined;
  private readonly removeHooks: (() => void)[];
  private readonly schedule = (): void => {
    setImmediate(this.recordInBackground);
  };
  private readonly recordLater = (): void => {
    this.timer = undefined;
    this.recordInBackground();
  };
  private readonly recordInBackground = () => {
    this.scheduled = false;
    try {
      this.recordQueued();
    } catch (error) {
      this.onBackgroundError(error);
    }
  };

  constructor(
    registry: MetricsRegistry,
    private readonly maxTargets: number,
    /** The collector's name: the owner of the read hooks. */
    owner: string,
    /** Told what recording the queue in the background threw (never the caller). */
    private readonly onBackgroundError: (error: unknown) => void,
  ) {
    const instruments = defineProbeInstruments(registry, maxTargets);
    this.instruments = instruments;
    const beforeRead = () => this.flush();
    this.removeHooks = Object.values(instruments).map((instrument) => instrument.onRead(owner, beforeRead));
  }

  /**
   * Records `outcome` into `recorder`'s counters and histograms later, off the request's path and
   * with others. Once {@link RECORD_BATCH} outcomes wait, they are recorded after the caller's
   * continuation, in the same event-loop turn: called once the caller's promise has its value,
   * this queues a microtask, which runs after the caller's and queues an immediate. A caller
   * that sends its next request from its continuation has made undici queue that request's
   * write (an immediate, on a reused connection) by then, so the recording runs right after the
   * write, while the server works. Fewer outcomes are recorded by a timer, at most
   * {@link RECORD_DELAY_MS} after the first of them. Every read records the queue first; the
   * {@link MAX_QUEUED_OUTCOMES}th outcome waiting is recorded at once with the rest. Never
   * throws: what recording throws goes to `onBackgroundError`.
   */
  recordHttpSoon(recorder: TargetRecorder, outcome: HttpOutcome): void {
    const index = this.queued++;
    this.queuedOutcomes[index] = outcome;
    this.queuedRecorders[index] = recorder;
    let figures = this.queuedFigures;
    if ((index + 1) * HTTP_FIGURES > figures.length) {
      const grown = new Float64Array(figures.length * 2);
      grown.set(figures);
      this.queuedFigures = figures = grown;
    }
    copyHttpFigures(outcome, figures, index * HTTP_FIGURES);
    if (this.queued >= MAX_QUEUED_OUTCOMES) {
      this.recordInBackground();
      return;
    }
    if (this.queued >= RECORD_BATCH) {
      if (this.scheduled) return;
      this.scheduled = true;
      SETTLED.then(this.schedule);
      return;
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(this.recordLater, RECORD_DELAY_MS);
      this.timer.unref();
    }
  }

  /** Records every queued outcome; throws the first error after recording all the others. */
  recordQueued(): void {
    if (this.queued === 0) return;
    const outcomes = this.queuedOutcomes;
    const recorders = this.queuedRecorders;
    let failure: { error: unknown } | undefined;
    // Up to the count as it is at each step: an outcome queued meanwhile is recorded too.
    for (let i = 0; i < this.queued; i++) {
      const outcome = outcomes[i];
      const recorder = recorders[i];
      outcomes[i] = undefined;
      recorders[i] = undefined;
      // Taken already, were a read hook ever to record the queue from inside this loop.
      if (outcome === undefined || recorder === undefined) continue;
      try {
        // Read at each step: an outcome queued meanwhile may have grown the array.
        recorder.recordHttpFigures(this.queuedFigures, i * HTTP_FIGURES, outcome);
      } catch (error) {
        failure ??= { error };
      }
    }
    this.queued = 0;
    if (failure !== undefined) throw failure.error;
  }

  publishLater(recorder: TargetRecorder): void {
    this.waiting.push(recorder);
  }

  /** Writes every waiting outcome to the gauges; throws the first error after trying them all. */
  publish(): void {
    const waiting = this.waiting;
    if (waiting.length === 0) return;
    this.waiting = [];
    let failure: { error: unknown } | undefined;
    for (const recorder of waiting) {
      try {
        recorder.publish();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Records and writes what is waiting, then stops watching reads (the collector is closing). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      this.flush();
    } finally {
      for (const remove of this.removeHooks) remove();
    }
  }

  /** Records the queue, then writes the waiting outcomes to the gauges (even if recording threw). */
  private flush(): void {
    try {
      this.recordQueued();
    } finally {
      this.publish();
    }
  }

  /**
   * The checked target of `url` (InvalidTargetError otherwise), from the cache when seen before.
   * A URL object is cached by its `href` as it is now (it may change afterwards; its href is
   * read at each call).
   */
  httpTarget(url: string | URL): HttpTarget {
    // The same string as the last call's (a probe loop's URL): no hashing, no map lookup.
    if (url === this.lastUrl && this.lastTarget !== undefined) return this.lastTarget;
    const key = typeof url === 'string' ? url : url instanceof URL ? url.href : undefined;
    if (key === undefined) return parseHttpTarget(url);
    let target = this.urls.get(key);
    if (target === undefined) {
      target = parseHttpTarget(key);
      if (this.urls.size >= URL_CACHE_LIMIT) return target;
      this.urls.set(key, target);
    }
    if (typeof url === 'string') {
      this.lastUrl = url;
      this.lastTarget = target;
    }
    return target;
  }

  /** The recorder of an HTTP target, labelled `label` or else by its URL (cached on the target). */
  http(target: HttpTarget, label: string | undefined): TargetRecorder {
    if (label !== undefined) return this.get('http', label);
    let recorder = target.recorder;
    if (recorder === undefined) {
      recorder = this.get('http', target.label);
      target.recorder = recorder;
    }
    return recorder;
  }

  /** The recorder of `kind` + `target`. */
  get(kind: ProbeKind, target: string): TargetRecorder {
    const key = `${kind} ${target}`;
    let recorder = this.byKey.get(key);
    if (recorder === undefined) {
      const kept = this.byKey.size < this.maxTargets;
      recorder = new TargetRecorder(kind, target, this.instruments, kept ? this : undefined);
      if (kept) this.byKey.set(key, recorder);
    }
    return recorder;
  }

  /**
   * Attempts, successes, failures and success ratio of every kept target, with the queue recorded
   * first. What that recording throws belongs to earlier probes, not to this call: it goes to
   * `onBackgroundError`, as in the background.
   */
  successRates(): TargetSuccessRate[] {
    this.recordInBackground();
    return Array.from(this.byKey.values(), (recorder) => recorder.successRate());
  }
}

/**
 * A name given by the user that becomes a label value (a `target` label, a dispatcher's `name`,
 * a collector's name): a non-empty string of well-formed Unicode.
 */
export function isLabelText(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.isWellFormed();
}

/** Checks a `target` label option: undefined, or a non-empty string of valid Unicode (InvalidLabelError). */
export function checkTargetLabel(target: unknown): string | undefined {
  if (target === undefined) return undefined;
  if (!isLabelText(target)) {
    throw new InvalidLabelError(
      `Invalid target label ${describeValue(target)}: expected a non-empty string of valid Unicode`,
      {
        subject: 'target',
        value: target,
      },
    );
  }
  return target;
}
