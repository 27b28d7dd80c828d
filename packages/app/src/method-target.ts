import { ConfigError } from '@fw0/metrics-core';
import { memberName } from './metric-name.js';
import { FailureOperation } from './names.js';
import type { TimerTarget } from './timed-function.js';
import type { TimerBinding } from './timer-binding.js';

/** Creates the binding of a resolved `Class.method` name; may throw (bad name, metric conflict). */
export type BindByName = (name: string) => TimerBinding;

/** Reports a failure to the collector without throwing. */
export type ReportFailure = (operation: string, error: unknown) => void;

/** Longest prototype chain walked to find the class that declares a method. */
const MAX_CHAIN = 64;

/**
 * The target of a method decorated in standard (TC39) mode without an explicit name. The
 * decorator sees the method and its name but not its class, so the default name `Class.method`
 * is resolved once: by the class's initializer (static methods: when the class is defined;
 * instance methods: when the first instance is constructed), or else on the first call. It names
 * the class that declares the method, as legacy decorators do, not the subclass of the receiver;
 * when the method is not found on the prototype chain (a `#private` method, or one that another
 * decorator wrapped again) the receiver's class names it. Until it is resolved (a call without
 * an object receiver) calls run untimed, and that is reported once through
 * `fw0_collector_errors_total{operation="resolve_timer_name"}`.
 */
export class MethodTarget implements TimerTarget {
  binding: TimerBinding | undefined = undefined;
  /** The timed wrapper installed on the class: what the prototype walk looks for. */
  wrapper: unknown;
  private failed = false;
  private reported = false;

  constructor(
    private readonly key: string | symbol,
    private readonly isPrivate: boolean,
    private readonly bind: BindByName,
    private readonly report: ReportFailure,
  ) {}

  resolve(receiver: unknown): TimerBinding | undefined {
    if (this.binding !== undefined || this.failed) return this.binding;
    const owner = this.declaringClass(receiver);
    if (owner === undefined) {
      if (!this.reported) {
        this.reported = true;
        this.report(
          FailureOperation.RESOLVE_TIMER_NAME,
          new ConfigError(
            `performanceTimer: cannot tell the class of method ${String(this.key)} from its receiver; the call runs untimed (pass a metricName to avoid this)`,
            { subject: String(this.key) },
          ),
        );
      }
      return undefined;
    }
    try {
      this.binding = this.bind(memberName(owner.name, this.key));
    } catch (error) {
      this.failed = true;
      this.report(FailureOperation.BIND_TIMER, error);
    }
    return this.binding;
  }

  private declaringClass(receiver: unknown): { readonly name: string } | undefined {
    if (receiver === null || (typeof receiver !== 'object' && typeof receiver !== 'function'))
      return undefined;
    if (!this.isPrivate) {
      let current: object | null = receiver;
      for (let depth = 0; current !== null && depth < MAX_CHAIN; depth++) {
        const descriptor = Object.getOwnPropertyDescriptor(current, this.key);
        if (descriptor !== undefined && descriptor.value === this.wrapper) return classOf(current);
        current = Object.getPrototypeOf(current);
      }
    }
    // A private method (not a property), or one another decorator wrapped again: the receiver's class.
    return classOf(receiver);
  }
}

/** The class an object belongs to (a prototype's constructor), or the class itself for a function. */
function classOf(value: object): { readonly name: string } | undefined {
  if (typeof value === 'function') return value;
  const owner = (value as { constructor?: unknown }).constructor;
  return typeof owner === 'function' ? owner : undefined;
}
