import type { CoarseClock } from '../clock.js';

/**
 * Decides which events of one name go into a collector's sample buffer, so that a hot name
 * cannot flood it: at most about `maxPerSecond` records per second. Below that every event is
 * kept; above it one in `every`, where `every` starts from the rate that would have fit last
 * second's events in the budget and doubles whenever the budget runs out within the second. A
 * kept record carries its sample rate `1 / every`, so the events it stands for can be counted
 * back. Deterministic (no randomness); the hot path reads fields of this object, with no map
 * lookup, no string work and no allocation. Bind one per timed function or per name.
 */
export class NameSampler {
  private second: number;
  private seen = 0;
  private kept = 0;
  private every = 1;
  /** The value of `seen` at which the next event is kept: a comparison instead of `seen % every`. */
  private next = 1;

  constructor(
    /** Records kept per second before sampling starts; `Infinity` keeps every event. */
    readonly maxPerSecond: number,
    private readonly clock: CoarseClock,
    /**
     * Told when sampling starts (one event in `every` kept, after every event was): so the
     * caller can say why samples are missing. Called from the rare branches that change the
     * rate, never per event.
     */
    private readonly onSamplingStart?: (every: number) => void,
  ) {
    this.second = clock.seconds;
  }

  /**
   * Returns 0 to leave this event out of the buffer, or the sample rate (0 < rate <= 1) that the
   * kept record should carry: a record with rate 0.25 stands for 4 events.
   */
  admit(): number {
    const now = this.clock.seconds;
    if (now !== this.second) this.startSecond(now);
    const seen = ++this.seen;
    if (this.kept >= this.maxPerSecond) {
      this.every *= 2;
      this.kept = 0;
      this.next = Math.ceil(seen / this.every) * this.every;
      if (this.every === 2) this.onSamplingStart?.(2);
    }
    if (seen !== this.next) return 0;
    this.kept++;
    this.next = seen + this.every;
    return 1 / this.every;
  }

  /** Starts a second from the rate that would have fit last second's events in the budget. */
  private startSecond(now: number): void {
    const previous = now === this.second + 1 ? this.seen : 0;
    const wasSampling = this.every > 1;
    this.every = previous > this.maxPerSecond ? Math.ceil(previous / this.maxPerSecond) : 1;
    if (this.every > 1 && !wasSampling) this.onSamplingStart?.(this.every);
    this.second = now;
    this.seen = 0;
    this.kept = 0;
    this.next = this.every;
  }
}

/** Name under which events share one sampler once `maxNames` names are tracked. */
const OTHER = '\u0000other';

/** What an {@link AdaptiveSampler} tells about its decisions (for logging why samples are missing). */
export interface SamplingListener {
  /** Sampling of `name` started: one event in `every` is kept. `shared` for the budget of names past `maxNames`. */
  samplingStarted(name: string, every: number, shared: boolean): void;
  /** `maxNames` names are tracked: `name` and every later new name share one budget. */
  namesShared(name: string, maxNames: number): void;
}

/**
 * A {@link NameSampler} per event name, for callers that only know the name at each event.
 * Memory is bounded: past `maxNames` names, further names share one sampler.
 */
export class AdaptiveSampler {
  private readonly samplers = new Map<string, NameSampler>();

  constructor(
    /** Records kept per name per second before sampling starts. */
    readonly maxPerSecond: number,
    private readonly clock: CoarseClock,
    /** Names tracked separately; beyond, names share one budget. */
    private readonly maxNames = 10_000,
    /** Told when sampling starts for a name, and when names start sharing a budget. */
    private readonly listener?: SamplingListener,
  ) {}

  /** The sampler of `name` (created on first use), for callers that record it often. */
  forName(name: string): NameSampler {
    let sampler = this.samplers.get(name);
    if (sampler === undefined) {
      const shared = this.samplers.size >= this.maxNames;
      const key = shared ? OTHER : name;
      sampler = this.samplers.get(key);
      if (sampler === undefined) {
        const listener = this.listener;
        sampler = new NameSampler(
          this.maxPerSecond,
          this.clock,
          listener && ((every) => listener.samplingStarted(name, every, shared)),
        );
        this.samplers.set(key, sampler);
        if (shared) listener?.namesShared(name, this.maxNames);
      }
    }
    return sampler;
  }

  /** `forName(name).admit()`: 0 to leave the event out, else the kept record's sample rate. */
  admit(name: string): number {
    return this.forName(name).admit();
  }
}
