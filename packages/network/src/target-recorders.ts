import { describeValue, InvalidLabelError, type MetricsRegistry } from '@fw0/metrics-core';
import type { ProbeKind } from './names.js';
import type { TargetSuccessRate } from './options.js';
import { defineProbeInstruments, type ProbeInstruments } from './probe-instruments.js';
import { type GaugePublisher, TargetRecorder } from './target-recorder.js';
import { type HttpTarget, parseHttpTarget } from './targets.js';

/** Parsed URLs kept, at most (later ones are parsed on every call). */
const URL_CACHE_LIMIT = 1000;

/**
 * The recorders of every probe target, at most `maxTargets` kept (a further target's recorder
 * is bound on each call and lands in the registry's overflow series), and a cache of parsed
 * probe URLs. Writes the kept recorders' last outcomes to the last-probe gauges whenever one of
 * those is read (a read hook on each), so that a probe costs no gauge write.
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
  private readonly removeHooks: (() => void)[];

  constructor(
    registry: MetricsRegistry,
    private readonly maxTargets: number,
    /** The collector's name: the owner of the read hooks. */
    owner: string,
  ) {
    const instruments = defineProbeInstruments(registry, maxTargets);
    this.instruments = instruments;
    const publish = () => this.publish();
    // Every gauge of a probe is a last-probe gauge (counters and histograms are recorded at once).
    this.removeHooks = Object.values(instruments)
      .filter((instrument) => instrument.type === 'gauge')
      .map((gauge) => gauge.onRead(owner, publish));
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

  /** Writes what is waiting, then stops watching reads (the collector is closing). */
  close(): void {
    try {
      this.publish();
    } finally {
      for (const remove of this.removeHooks) remove();
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

  /** Attempts, successes, failures and success ratio of every kept target. */
  successRates(): TargetSuccessRate[] {
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
