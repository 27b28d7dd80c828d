/**
 * Per-device state (bound series handles, counter trackers) kept between readings. Each reading
 * marks the devices it saw; {@link sweep} then forgets the others and lets the caller remove
 * their series, so a vanished interface or unplugged disk stops being exposed, as with
 * node_exporter.
 */
export class DeviceTable<S> {
  private readonly states = new Map<string, { state: S; generation: number }>();
  private generation = 0;

  /** Starts a new reading. */
  begin(): void {
    this.generation++;
  }

  /** The state of `key`, created by `create` the first time; marks it as seen in this reading. */
  get(key: string, create: () => S): S {
    let entry = this.states.get(key);
    if (entry === undefined) {
      entry = { state: create(), generation: this.generation };
      this.states.set(key, entry);
    } else {
      entry.generation = this.generation;
    }
    return entry.state;
  }

  /** Forgets every device the current reading did not see, calling `remove` for each first. */
  sweep(remove: (state: S) => void): void {
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
}
