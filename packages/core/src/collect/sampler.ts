import type { CoarseClock } from '../clock.js';

interface NameState {
  second: number;
  seen: number;
  kept: number;
  /** Keep one event in `every`. */
  every: number;
}

/** Name under which events share one state once the sampler tracks `maxNames` names. */
const OTHER = '\u0000other';

/**
 * Decides which events of each name go into a collector's sample buffer, so that a hot name
 * cannot flood it: at most about `maxPerSecond` records per name per second. Below that every
 * event is kept; above it one in `every` is kept, where `every` starts from last second's rate
 * and doubles whenever the budget runs out within the second. A kept record carries its sample
 * rate `1 / every`, so the events it stands for can be counted back. Deterministic, no random.
 */
export class AdaptiveSampler {
  private readonly states = new Map<string, NameState>();

  constructor(
    /** Records kept per name per second before sampling starts. */
    readonly maxPerSecond: number,
    private readonly clock: CoarseClock,
    /** Names tracked separately; beyond, names share one budget (bounded memory). */
    private readonly maxNames = 10_000,
  ) {}

  /**
   * Returns 0 to leave the event out of the buffer, or the sample rate (0 < rate <= 1) that the
   * kept record should carry.
   */
  admit(name: string): number {
    let state = this.states.get(name);
    if (state === undefined) {
      if (this.states.size >= this.maxNames) state = this.states.get(OTHER) ?? this.create(OTHER);
      else state = this.create(name);
    }
    const now = this.clock.seconds;
    if (now !== state.second) {
      // Start from the rate that would have fit last second's events in the budget.
      const previous = now === state.second + 1 ? state.seen : 0;
      state.every = previous > this.maxPerSecond ? Math.ceil(previous / this.maxPerSecond) : 1;
      state.second = now;
      state.seen = 0;
      state.kept = 0;
    }
    state.seen++;
    if (state.kept >= this.maxPerSecond) {
      state.every *= 2;
      state.kept = 0;
    }
    if (state.seen % state.every !== 0) return 0;
    state.kept++;
    return 1 / state.every;
  }

  private create(name: string): NameState {
    const state: NameState = { second: this.clock.seconds, seen: 0, kept: 0, every: 1 };
    this.states.set(name, state);
    return state;
  }
}
