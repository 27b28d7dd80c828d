interface Entry<S> {
  state: S;
  generation: number;
}

/**
 * Per-device state (bound series handles, counter trackers) kept between readings. Each reading
 * marks the devices it saw; {@link sweep} then forgets the others and lets the caller remove
 * their series, so a vanished interface or unplugged disk stops being exposed, as with
 * node_exporter.
 */
export class DeviceTable<S> {
  private readonly states = new Map<string, Entry<S>>();
  private generation = 0;
  /** Known devices the current reading saw: when it is all of them, there is nothing to sweep. */
  private seen = 0;

  /** Starts a new reading. */
  begin(): void {
    this.generation++;
    this.seen = 0;
  }

  /** The state of `key`, created by `create(key)` the first time; marks it as seen in this reading. */
  get(key: string, create: (key: string) => S): S {
    const entry = this.states.get(key);
    if (entry !== undefined) return this.mark(entry).state;
    const state = create(key);
    this.replace(key, state);
    return state;
  }

  /** The state of `key` if known (marking it as seen in this reading), else undefined. */
  find(key: string): S | undefined {
    const entry = this.states.get(key);
    return entry === undefined ? undefined : this.mark(entry).state;
  }

  /** Sets the state of `key`, in place of any before (seen in this reading). */
  replace(key: string, state: S): void {
    const entry = this.states.get(key);
    if (entry !== undefined) {
      this.mark(entry).state = state;
      return;
    }
    this.states.set(key, { state, generation: this.generation });
    this.seen++;
  }

  /** Forgets every device the current reading did not see, calling `remove` for each first. */
  sweep(remove: (state: S) => void): void {
    // The usual reading sees every known device: no walk over the table.
    if (this.seen === this.states.size) return;
    for (const [key, entry] of this.states) {
      if (entry.generation !== this.generation) {
        remove(entry.state);
        this.states.delete(key);
      }
    }
  }

  /** Number of devices known. */
  get size(): number {
    return this.states.size;
  }

  private mark(entry: Entry<S>): Entry<S> {
    if (entry.generation !== this.generation) {
      entry.generation = this.generation;
      this.seen++;
    }
    return entry;
  }
}
