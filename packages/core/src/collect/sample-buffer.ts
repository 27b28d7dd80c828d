import type { PerformanceMetric } from '../types.js';

/**
 * A bounded first-in first-out buffer of samples. When full, the oldest sample goes to make
 * room and `onDrop` is told, so the loss is counted, never silent.
 */
export class SampleBuffer {
  private readonly items: (PerformanceMetric | undefined)[];
  private head = 0;
  private length = 0;

  constructor(
    /** Most samples held at once. */
    readonly capacity: number,
    private readonly onDrop: (dropped: PerformanceMetric) => void,
  ) {
    this.items = new Array(capacity);
  }

  /** Samples held now. */
  get size(): number {
    return this.length;
  }

  /** Appends a sample, dropping (and reporting) the oldest when full. */
  push(sample: PerformanceMetric): void {
    const capacity = this.capacity;
    if (this.length === capacity) {
      const dropped = this.items[this.head]!;
      this.items[this.head] = sample;
      this.head = this.head + 1 === capacity ? 0 : this.head + 1;
      this.onDrop(dropped);
      return;
    }
    let tail = this.head + this.length;
    if (tail >= capacity) tail -= capacity;
    this.items[tail] = sample;
    this.length++;
  }

  /** Every sample held, oldest first; the buffer is empty afterwards. */
  drain(): PerformanceMetric[] {
    const out = new Array<PerformanceMetric>(this.length);
    const capacity = this.capacity;
    for (let i = 0; i < this.length; i++) {
      let position = this.head + i;
      if (position >= capacity) position -= capacity;
      out[i] = this.items[position]!;
      this.items[position] = undefined;
    }
    this.head = 0;
    this.length = 0;
    return out;
  }

  /** Every sample held, oldest first, without removing them. */
  peek(): PerformanceMetric[] {
    const out = new Array<PerformanceMetric>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.items[(this.head + i) % this.capacity]!;
    return out;
  }
}
