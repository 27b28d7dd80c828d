import { describeValue, InvalidLabelError, type MetricsRegistry } from '@fw0/metrics-core';
import type { ProbeKind } from './names.js';
import type { TargetSuccessRate } from './options.js';
import { defineProbeInstruments, type ProbeInstruments } from './probe-instruments.js';
import { TargetRecorder } from './target-recorder.js';
import { type HttpTarget, parseHttpTarget } from './targets.js';

/** Parsed URLs kept, at most (later ones are parsed on every call). */
const URL_CACHE_LIMIT = 1000;

/**
 * The recorders of every probe target, at most `maxTargets` kept (a further target's recorder
 * is bound on each call and lands in the registry's overflow series), and a cache of parsed
 * probe URLs.
 */
export class TargetRecorders {
  private readonly instruments: ProbeInstruments;
  private readonly byKey = new Map<string, TargetRecorder>();
  private readonly urls = new Map<string, HttpTarget>();

  constructor(
    registry: MetricsRegistry,
    private readonly maxTargets: number,
  ) {
    this.instruments = defineProbeInstruments(registry, maxTargets);
  }

  /**
   * The checked target of `url` (InvalidTargetError otherwise), from the cache when seen before.
   * A URL object is cached by its `href` as it is now (it may change afterwards; its href is
   * read at each call).
   */
  httpTarget(url: string | URL): HttpTarget {
    const key = typeof url === 'string' ? url : url instanceof URL ? url.href : undefined;
    if (key === undefined) return parseHttpTarget(url);
    let target = this.urls.get(key);
    if (target === undefined) {
      target = parseHttpTarget(key);
      if (this.urls.size < URL_CACHE_LIMIT) this.urls.set(key, target);
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
      recorder = new TargetRecorder(kind, target, this.instruments);
      if (this.byKey.size < this.maxTargets) this.byKey.set(key, recorder);
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
