import { performance } from 'node:perf_hooks';
import { IntrusiveList, type ListNode } from './intrusive-list.js';

/** Something that ends at a deadline (listed by the timer while watched). */
export interface Expirable extends ListNode<Expirable> {
  /** When it must end, in `performance.now()` milliseconds. */
  readonly deadlineAt: number;
  /** Called once the deadline has passed. */
  expire(): void;
}

/**
 * One timer for the deadlines of every measurement in flight, armed for the earliest one.
 * Sequential measurements with the same timeout re-arm it about once per timeout rather than
 * once per measurement. This is how "no probe outlives its timeout" is enforced, rather than
 * with an AbortSignal per probe (see docs/architecture.md, "Deadlines without a signal per
 * probe"): an AbortController, its listener and a timer per request would cost several
 * microseconds of a loopback request that takes about 100. When the deadline passes, the
 * measurement destroys its connection (or abandons the attempt), which ends every callback of
 * the request as an abort would. The timer is unref'd: a measurement in flight always holds a
 * socket or a DNS request, which keep the process alive.
 */
export class DeadlineTimer {
  private readonly entries = new IntrusiveList<Expirable>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private readonly fire = () => this.expireDue();

  /** Watches `entry` until {@link delete}; its `expire()` is called once its deadline passed. */
  add(entry: Expirable): void {
    this.entries.add(entry);
    if (entry.deadlineAt < this.armedAt) this.arm(entry.deadlineAt);
  }

  delete(entry: Expirable): void {
    this.entries.delete(entry);
  }

  /** True if `test` holds for one of the entries watched. */
  some(test: (entry: Expirable) => boolean): boolean {
    for (let entry = this.entries.first; entry !== undefined; entry = entry.listNext) {
      if (test(entry)) return true;
    }
    return false;
  }

  /** Stops the timer (entries still watched are left unexpired). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    this.entries.clear();
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(at - performance.now())));
    this.timer.unref();
  }

  private expireDue(): void {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const due: Expirable[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (let entry = this.entries.first; entry !== undefined; entry = entry.listNext) {
      if (entry.deadlineAt <= now) due.push(entry);
      else if (entry.deadlineAt < next) next = entry.deadlineAt;
    }
    for (const entry of due) {
      this.entries.delete(entry);
      entry.expire();
    }
    if (next < this.armedAt) this.arm(next);
  }
}
