import {
  type ApplicationMetricsCollector,
  getApplicationCollector,
  TimerSuffix,
  type TrackerScope,
  toExposedName,
} from '@fw0/metrics-app';
import {
  ErrorCode,
  MAX_NAME_LENGTH,
  MetricsRegistry,
  type PerformanceMetric,
  silentLogger,
} from '@fw0/metrics-core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  attempt,
  attemptAsync,
  checkAsyncProperty,
  checkProperty,
  ensure,
  ensureSame,
  expectOutcome,
  Faults,
  type Outcome,
} from './harness.js';
import {
  anyNumber,
  anyText,
  bucketsInput,
  canonicalTags,
  integerIn,
  integerOption,
  isLabelName,
  isLabelValue,
  junk,
  numberOrJunk,
  tagsInput,
  unitInput,
  unitModel,
  validBuckets,
} from './inputs.js';
import {
  ensureUnchanged,
  parsedSamples,
  prometheusText,
  registryFingerprint,
  sampleValueOf,
} from './observe.js';

/**
 * The fuzz properties of @fw0/metrics-app: collector options, timers in every form (wrapper,
 * options, both decorator modes), trackers and their scopes, custom samples, the name mapping and
 * runtime-health options. The models come from the package README and doc comments.
 */

/** Tag names a timer may not use (README: `outcome`, `le` and `fw0_overflow` are reserved). */
const RESERVED_TAGS = ['outcome', 'le', 'fw0_overflow'];

/** Longest exposed base name: the longest suffix must still fit in a metric name. */
const MAX_BASE = MAX_NAME_LENGTH - TimerSuffix.EXTERNAL_DELTA.length;

/** A timer name already used in every fixture collector, with tags, called once. */
const EXISTING_TIMER = 'UserService.getUser';
const EXISTING_TAGS = { tier: 'gold' };
/** A histogram the user defined in every fixture registry: a timer exposed as `jobs_*` clashes with it. */
const USER_HISTOGRAM = 'jobs_calls';

/** ASCII letters and digits of a string once decomposed (`é` is `e` and a mark, `ﬁ` is `fi`). */
const alphanumerics = (text: string): string => text.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');

/** Things that are not strings and that `String()` cannot even convert. */
const unprintable = (): unknown[] => [
  Object.create(null),
  {
    toString() {
      throw new Error('no string');
    },
  },
  Symbol('s'),
];

/** Timer names: the seed's style, snake_case, camelCase, near misses, any text, and non-strings. */
const timerNameInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.stringMatching(/^[A-Z][a-zA-Z0-9]{0,8}\.[a-z][a-zA-Z0-9]{0,8}$/),
    weight: 5,
  },
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,5}){0,3}$/), weight: 4 },
  { arbitrary: fc.stringMatching(/^[a-z]{1,6}[A-Z][a-z]{1,6}$/), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      EXISTING_TIMER,
      'user_service.get_user',
      'UserService#getUser',
      'jobs',
      'Jobs',
      'work',
      'Service.run',
      '',
      ' ',
      '...',
      '__',
      '1st',
      '9',
      'café.latté',
      'HTTPServer.handleRequest',
      'db query!',
      'x\n"y',
      '𝒜𝒷𝒸',
      'ﬁle',
      'Привет',
      '😀',
      'a'.repeat(MAX_BASE),
      'a'.repeat(MAX_BASE + 1),
      `${'a'.repeat(MAX_BASE - 1)}.b`,
      'A'.repeat(90),
    ),
    weight: 4,
  },
  { arbitrary: anyText(24), weight: 3 },
  { arbitrary: junk, weight: 1 },
  { arbitrary: fc.constantFrom(...unprintable()), weight: 1 },
);

/** True when `name` is a string the package maps to an exposed name (checked by `exposed-names`). */
function exposedNameOf(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const outcome = attempt(() => toExposedName(name));
  return outcome.ok ? outcome.value : undefined;
}

/**
 * Faults of tags as the package checks them: an object (else `INVALID_CONFIG`) of valid label
 * names, none of them `reserved`, to strings, numbers or booleans (else `INVALID_LABEL`).
 */
function tagFaults(tags: unknown, faults: Faults, reserved: readonly string[] = RESERVED_TAGS): void {
  if (tags === undefined) return;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    faults.add(ErrorCode.INVALID_CONFIG);
    return;
  }
  for (const [name, value] of Object.entries(tags)) {
    if (value !== undefined && !(isLabelName(name, reserved) && isLabelValue(value)))
      faults.add(ErrorCode.INVALID_LABEL);
  }
}

/** Faults of a resolved timer name: invalid, or exposed under a name another metric holds. */
function nameFaults(name: unknown, faults: Faults): void {
  const exposed = exposedNameOf(name);
  if (exposed === undefined) faults.add(ErrorCode.INVALID_NAME);
  else if (exposed === toExposedName(EXISTING_TIMER) && name !== EXISTING_TIMER)
    faults.add(ErrorCode.METRIC_CONFLICT);
  else if (`${exposed}${TimerSuffix.CALLS}` === `${USER_HISTOGRAM}_total`)
    faults.add(ErrorCode.METRIC_CONFLICT);
}

/** A fixture: a registry with a user's histogram, a collector with one timer already used. */
function fixture(options: {
  trackMemory?: boolean;
  maxSamplesPerSecond?: number | false;
  bufferSize?: number;
}) {
  const registry = new MetricsRegistry({ logger: silentLogger });
  registry.histogram({ name: USER_HISTOGRAM, help: 'A user histogram.' });
  const app = getApplicationCollector({ registry, ...options });
  app.timed(() => 1, { name: EXISTING_TIMER, tags: EXISTING_TAGS })();
  app.getCollectedMetrics();
  return { registry, app };
}

/** Everything a rejected call must leave as it was. */
function appFingerprint(app: ApplicationMetricsCollector, registry: MetricsRegistry): string {
  return `${registryFingerprint(registry)}\n${JSON.stringify(app.getCallCounts())}\n${app.bufferedSampleCount}`;
}

const selfCount = (registry: MetricsRegistry, which: 'out' | 'dropped', collector: string): number =>
  (which === 'out'
    ? registry.self.samplesSampledOut.get({ collector })
    : registry.self.samplesDropped.get({ collector, reason: 'buffer_full' })) ?? 0;

/** What the user's function does on a call. */
type Behaviour = 'object' | 'primitive' | 'throw' | 'undefined';

/** The user's function, recording what it was called with and what it did, to compare with the timed call. */
function userFunction(behaviour: Behaviour) {
  const seen: { this?: unknown; args?: unknown[]; result?: unknown; error?: unknown } = {};
  function work(this: unknown, ...args: unknown[]): unknown {
    seen.this = this;
    seen.args = args;
    if (behaviour === 'throw') {
      seen.error = new RangeError(`failed ${String(args[0])}`);
      throw seen.error;
    }
    seen.result =
      behaviour === 'object' ? { call: args[0] } : behaviour === 'primitive' ? args[0] : undefined;
    return seen.result;
  }
  return { work, seen };
}

type Form = 'decorator' | 'decoratorOptions' | 'timed' | 'timedName' | 'legacy' | 'standard';
const FORMS: readonly Form[] = ['decorator', 'decoratorOptions', 'timed', 'timedName', 'legacy', 'standard'];

/** Options object without the keys left undefined (as a caller writes it). */
function optionsOf(name: unknown, tags: unknown, trackMemory: unknown): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (name !== undefined) options.name = name;
  if (tags !== undefined) options.tags = tags;
  if (trackMemory !== undefined) options.trackMemory = trackMemory;
  return options;
}

/**
 * Defines a timer in `form` and returns how to call it (with its receiver) and its default name.
 * Throws what the package throws.
 */
function defineTimer(
  app: ApplicationMetricsCollector,
  form: Form,
  work: (...args: unknown[]) => unknown,
  input: { name: unknown; tags: unknown; trackMemory: unknown },
): { call: (...args: unknown[]) => unknown; receiver: unknown; defaultName: string } {
  // biome-ignore lint/suspicious/noExplicitAny: the fuzz passes what callers can pass, typed or not.
  const loose = app as any;
  if (form === 'decorator' || form === 'decoratorOptions' || form === 'timed' || form === 'timedName') {
    const timed =
      form === 'decorator'
        ? loose.performanceTimer(input.name, input.tags)(work)
        : form === 'decoratorOptions'
          ? loose.performanceTimer(optionsOf(input.name, input.tags, input.trackMemory))(work)
          : form === 'timed'
            ? loose.timed(work, optionsOf(input.name, input.tags, input.trackMemory))
            : loose.timed(work, input.name);
    const receiver = { owner: 'receiver' };
    return { call: (...args) => timed.apply(receiver, args), receiver, defaultName: 'work' };
  }
  class Service {
    run(...args: unknown[]): unknown {
      return work.apply(this, args);
    }
  }
  const decorator = loose.performanceTimer(input.name, input.tags);
  const initializers: ((this: unknown) => void)[] = [];
  if (form === 'legacy') {
    const descriptor = Object.getOwnPropertyDescriptor(Service.prototype, 'run');
    Object.defineProperty(Service.prototype, 'run', decorator(Service.prototype, 'run', descriptor));
  } else {
    const timed = decorator(Service.prototype.run, {
      kind: 'method',
      name: 'run',
      static: false,
      private: false,
      metadata: {},
      access: { has: () => true, get: (object: Service) => object.run },
      addInitializer: (initializer: (this: unknown) => void) => initializers.push(initializer),
    });
    Object.defineProperty(Service.prototype, 'run', { value: timed, writable: true, configurable: true });
  }
  const instance = new Service();
  for (const initializer of initializers) initializer.call(instance);
  return { call: (...args) => instance.run(...args), receiver: instance, defaultName: 'Service.run' };
}

/** The faults a timer definition has, per the README, and the name it records under. */
function timerFaults(
  form: Form,
  input: { name: unknown; tags: unknown; trackMemory: unknown },
  defaultName: string,
): { faults: Faults; name: unknown; tags: unknown; trackMemory: unknown } {
  const faults = new Faults();
  let { name, tags, trackMemory } = input;
  const positional = form !== 'decoratorOptions' && form !== 'timed';
  if (positional) {
    if (typeof name === 'object' && name !== null) {
      // performanceTimer(options) / timed(fn, options): an object is the options themselves.
      const options = name as { name?: unknown; tags?: unknown; trackMemory?: unknown };
      if (form !== 'timedName' && tags !== undefined) faults.add(ErrorCode.INVALID_CONFIG);
      ({ name, tags, trackMemory } = {
        name: options.name,
        tags: options.tags,
        trackMemory: options.trackMemory,
      });
    } else {
      trackMemory = undefined;
      if (form === 'timedName') tags = undefined;
      if (name !== undefined && typeof name !== 'string') {
        faults.add(ErrorCode.INVALID_CONFIG);
        return { faults, name, tags, trackMemory };
      }
    }
  }
  if (trackMemory !== undefined && typeof trackMemory !== 'boolean') faults.add(ErrorCode.INVALID_CONFIG);
  if (name !== undefined && exposedNameOf(name) === undefined) faults.add(ErrorCode.INVALID_NAME);
  tagFaults(tags, faults);
  const effective = name ?? defaultName;
  if (faults.none) nameFaults(effective, faults);
  return { faults, name: effective, tags, trackMemory };
}

const timerInput = fc.record({
  form: fc.constantFrom(...FORMS),
  name: fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: timerNameInput, weight: 5 }),
  tags: tagsInput(RESERVED_TAGS),
  trackMemory: fc.oneof(fc.constant(undefined), fc.boolean(), junk),
  collectorTrackMemory: fc.boolean(),
  behaviour: fc.constantFrom<Behaviour>('object', 'primitive', 'throw', 'undefined'),
  calls: fc.integer({ min: 1, max: 4 }),
  maxSamplesPerSecond: fc.constantFrom<number | false>(false, 1, 2, 100),
  bufferSize: fc.constantFrom(1, 2, 10_000),
});

/** Checks one timed call against what the user's function did untimed. */
function ensureSameCall(
  outcome: Outcome<unknown>,
  seen: ReturnType<typeof userFunction>['seen'],
  receiver: unknown,
  args: unknown[],
  what: string,
): void {
  ensure(seen.this === receiver, `${what}: the function ran with another this`);
  ensure(
    seen.args?.length === args.length && args.every((arg, i) => Object.is(arg, seen.args?.[i])),
    `${what}: the function got other arguments`,
  );
  if (outcome.ok) ensure(Object.is(outcome.value, seen.result), `${what}: the call returned another value`);
  else ensure(outcome.error === seen.error, `${what}: the call threw another error`);
}

/** The value of `name{labels}` in the registry's exposition (0 when absent). */
function exposed(registry: MetricsRegistry, name: string, labels: Record<string, string>): number {
  return sampleValueOf(parsedSamples(prometheusText(registry)), name, labels) ?? 0;
}

export function appProperties(): void {
  describe('@fw0/metrics-app', () => {
    it('exposed names of timer names (toExposedName)', () => {
      checkProperty(
        'app.exposed-names',
        timerNameInput,
        (name) => {
          const outcome = attempt(() => toExposedName(name as string));
          const what = `toExposedName(${typeof name === 'string' ? JSON.stringify(name) : typeof name})`;
          if (typeof name !== 'string' || name.trim() === '') {
            expectOutcome(outcome, new Set([ErrorCode.INVALID_NAME]), what);
            return;
          }
          const letters = alphanumerics(name);
          if (letters === '' || letters.length > MAX_BASE) {
            expectOutcome(outcome, new Set([ErrorCode.INVALID_NAME]), what);
            return;
          }
          // A base is at most one `_` per letter or digit (plus one before a leading digit).
          const mayBeTooLong = 2 * letters.length + 1 > MAX_BASE;
          if (!expectOutcome(outcome, new Set(mayBeTooLong ? [ErrorCode.INVALID_NAME] : []), what, true))
            return;
          const base = outcome.value;
          ensure(/^(_(?=[0-9]))?[a-z0-9]+(_[a-z0-9]+)*$/.test(base), `${what}: ${base} is not snake_case`);
          ensure(base.length <= MAX_BASE, `${what}: ${base} is too long`);
          ensure(
            base.replace(/_/g, '') === letters.toLowerCase(),
            `${what}: ${base} does not keep the letters and digits of the name, in order`,
          );
          ensure(toExposedName(base) === base, `${what}: ${base} maps to something else again`);
          if (/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name))
            ensure(base === name, `${what}: a snake_case name changed`);
          if (/^[a-z]+[A-Z][a-z]+$/.test(name))
            ensure(
              base === name.replace(/([a-z])([A-Z])/, '$1_$2').toLowerCase(),
              `${what}: camelCase not split`,
            );
        },
        2000,
      );
      ensureSame(
        ['UserService.getUser', 'HTTPServer.handleRequest', 'checkout_latency', 'db query!'].map(
          toExposedName,
        ),
        ['user_service_get_user', 'http_server_handle_request', 'checkout_latency', 'db_query'],
        'README name table',
      );
    });

    it('timers in every form: names, tags, trackMemory, sampling; the function unchanged', () => {
      checkProperty(
        'app.timers',
        timerInput,
        (input) => {
          const { registry, app } = fixture({
            trackMemory: input.collectorTrackMemory,
            maxSamplesPerSecond: input.maxSamplesPerSecond,
            bufferSize: input.bufferSize,
          });
          const { work, seen } = userFunction(input.behaviour);
          const defaultName = input.form === 'legacy' || input.form === 'standard' ? 'Service.run' : 'work';
          const model = timerFaults(input.form, input, defaultName);
          const what = `${input.form} name=${typeof input.name === 'string' ? JSON.stringify(input.name) : typeof input.name} tags=${attempt(() => JSON.stringify(input.tags)).ok ? JSON.stringify(input.tags) : '?'} trackMemory=${String(input.trackMemory)}`;
          const before = appFingerprint(app, registry);
          const defined = attempt(() => defineTimer(app, input.form, work, input));
          if (!expectOutcome(defined, model.faults.codes, what)) {
            ensureUnchanged(before, appFingerprint(app, registry), what);
            return;
          }
          const name = model.name as string;
          const prior = app.getCallCounts()[name] ?? 0;
          const tags = canonicalTags(model.tags);
          const base = toExposedName(name);
          const labels = (outcome: string) => ({ ...tags, outcome });
          const outcomeLabel = input.behaviour === 'throw' ? 'error' : 'success';
          // A new name has no series yet; the fixture's timer has one call, under its own tags.
          const callsBefore =
            name === EXISTING_TIMER
              ? exposed(registry, `${base}${TimerSuffix.CALLS}`, labels(outcomeLabel))
              : 0;
          const outBefore = selfCount(registry, 'out', 'app');
          const droppedBefore = selfCount(registry, 'dropped', 'app');
          for (let call = 0; call < input.calls; call++) {
            const args = [call, 'x'];
            const outcome = attempt(() => defined.value.call(...args));
            ensureSameCall(outcome, seen, defined.value.receiver, args, `${what} call ${call}`);
            ensure(outcome.ok === (input.behaviour !== 'throw'), `${what}: outcome changed`);
          }
          ensure(
            app.getCallCounts()[name] === prior + input.calls,
            `${what}: getCallCounts()[${name}] is ${app.getCallCounts()[name]}, expected ${prior + input.calls}`,
          );
          app.getDurationHistogram(name); // observes pending durations
          const after = parsedSamples(prometheusText(registry));
          const exposedNow = (metric: string) => sampleValueOf(after, metric, labels(outcomeLabel)) ?? 0;
          const calls = exposedNow(`${base}${TimerSuffix.CALLS}`);
          ensure(calls === callsBefore + input.calls, `${what}: ${base}_calls_total is ${calls}`);
          const durations = exposedNow(`${base}${TimerSuffix.DURATION}_count`);
          ensure(
            durations === callsBefore + input.calls,
            `${what}: ${base}_duration_seconds_count is ${durations}`,
          );
          const trackMemory = (model.trackMemory as boolean | undefined) ?? input.collectorTrackMemory;
          if (name !== EXISTING_TIMER) {
            const heap = exposedNow(`${base}${TimerSuffix.HEAP_DELTA}_count`);
            ensure(heap === (trackMemory ? input.calls : 0), `${what}: ${heap} memory deltas recorded`);
          }
          // Sampling: every call is counted once, kept in the buffer, sampled out or dropped.
          const samples = app.getCollectedMetrics().filter((sample) => sample.name === name);
          const out = selfCount(registry, 'out', 'app') - outBefore;
          const dropped = selfCount(registry, 'dropped', 'app') - droppedBefore;
          ensure(
            samples.length + out + dropped === input.calls,
            `${what}: ${samples.length} kept + ${out} sampled out + ${dropped} dropped != ${input.calls} calls`,
          );
          for (const sample of samples) {
            ensure(
              sample.type === 'timer' &&
                sample.unit === 'seconds' &&
                sample.value >= 0 &&
                Number.isFinite(sample.value),
              `${what}: sample ${JSON.stringify(sample)}`,
            );
            ensureSame(sample.tags, labels(outcomeLabel), `${what}: sample tags`);
          }
        },
        2000,
      );
    });

    it('timed promises and thenables: a promise back, the same value or reason, recorded on settle', async () => {
      const kinds = [
        'resolve',
        'reject',
        'thenable-resolve',
        'thenable-reject',
        'settled',
        'async-throw',
      ] as const;
      await checkAsyncProperty(
        'app.timer-promises',
        fc.record({
          kind: fc.constantFrom(...kinds),
          name: fc.stringMatching(/^[A-Z][a-z]{0,6}\.[a-z][a-zA-Z]{0,6}$/),
          tags: fc.dictionary(
            fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter((key) => !RESERVED_TAGS.includes(key)),
            anyText(10).filter((text) => text.isWellFormed()),
            { maxKeys: 2 },
          ),
          value: fc.oneof(anyNumber, anyText(8), fc.constant(undefined)),
          trackMemory: fc.boolean(),
        }),
        async ({ kind, name, tags, value, trackMemory }) => {
          if (exposedNameOf(name) === toExposedName(EXISTING_TIMER)) return;
          const { app } = fixture({ maxSamplesPerSecond: false });
          const reason = new Error(`rejected ${name}`);
          let made: unknown;
          const work = () => {
            if (kind === 'resolve') made = new Promise((resolve) => setTimeout(resolve, 1, value));
            else if (kind === 'reject') made = new Promise((_, reject) => setTimeout(reject, 1, reason));
            else if (kind === 'settled') made = Promise.resolve(value);
            else if (kind === 'async-throw') made = (async () => Promise.reject(reason))();
            else
              made = {
                // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the input here.
                then(onResolve: (v: unknown) => void, onReject: (r: unknown) => void) {
                  setTimeout(() => (kind === 'thenable-resolve' ? onResolve(value) : onReject(reason)), 1);
                },
              };
            return made;
          };
          const timed = app.timed(work, { name, tags, trackMemory });
          const returned = timed() as PromiseLike<unknown>;
          const what = `${kind} ${name}`;
          // A promise comes back as `promise.then(...)`, a new promise (so that a rejection nobody
          // handles stays reported), a thenable as a native promise.
          if (made instanceof Promise)
            ensure(returned !== made, `${what}: the promise itself, marked handled`);
          ensure(returned instanceof Promise, `${what}: not handed back as a promise`);
          ensure(app.getCallCounts()[name] === 0, `${what}: recorded on return`);
          const outcome = await attemptAsync(async () => await returned);
          const fails = kind.endsWith('reject') || kind === 'async-throw';
          if (fails) ensure(!outcome.ok && outcome.error === reason, `${what}: not the same reason`);
          else ensure(outcome.ok && Object.is(outcome.value, value), `${what}: not the same value`);
          ensure(app.getCallCounts()[name] === 1, `${what}: not recorded once on settle`);
          const summary = app.getDurationSummary(name, tags, fails ? 'error' : 'success');
          ensure(
            summary?.cumulative.count === 1,
            `${what}: no duration under outcome ${fails ? 'error' : 'success'}`,
          );
        },
        400,
      );
    });

    it('trackers: names, tags, scope.set, fail, end, the callback form', () => {
      const operation = fc.oneof(
        fc.record({
          op: fc.constant('set' as const),
          key: fc.oneof(
            anyText(8),
            junk,
            fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'error', 'rows'),
          ),
          value: fc.oneof(junk, anyNumber, anyText(6)),
        }),
        fc.record({
          op: fc.constant('fail' as const),
          value: fc.oneof(
            fc.constant(undefined),
            fc.constant(new TypeError('bad row')),
            junk,
            anyText(6),
            fc.constantFrom(...unprintable()),
          ),
        }),
        fc.record({ op: fc.constant('end' as const) }),
      );
      checkProperty(
        'app.trackers',
        fc.record({
          name: timerNameInput,
          tags: tagsInput(RESERVED_TAGS),
          form: fc.constantFrom('scope', 'callback', 'callbackWithTags', 'badCallback'),
          callback: fc.oneof(junk, fc.constant('not a function')),
          operations: fc.array(operation, { maxLength: 6 }),
          throws: fc.boolean(),
        }),
        ({ name, tags, form: requested, callback, operations, throws }) => {
          const { registry, app } = fixture({ maxSamplesPerSecond: false });
          const form = requested === 'badCallback' && callback === undefined ? 'scope' : requested;
          const faults = new Faults();
          if (form === 'badCallback') faults.add(ErrorCode.INVALID_CONFIG);
          if (form !== 'callback') tagFaults(tags, faults);
          if (exposedNameOf(name) === undefined) faults.add(ErrorCode.INVALID_NAME);
          if (faults.none) nameFaults(name, faults);
          const what = `performanceTracker(${typeof name === 'string' ? JSON.stringify(name) : typeof name}) ${form}`;
          const before = appFingerprint(app, registry);

          // The model of the scope, from the README: context holds set() values (last wins) and
          // fail()'s message; outcome error once failed; set/fail after end are ClosedError.
          const context: Record<string, unknown> = Object.create(null);
          let failed = false;
          let ended = false;
          let sample: PerformanceMetric | undefined;
          const failure = new Error('callback failed');
          const run = (scope: TrackerScope) => {
            for (const step of operations) {
              const outcome = attempt(() =>
                step.op === 'set'
                  ? scope.set(step.key as string, step.value)
                  : step.op === 'fail'
                    ? scope.fail(step.value)
                    : scope.end(),
              );
              const stepFaults = new Faults();
              if (step.op === 'set' && (typeof step.key !== 'string' || step.key === ''))
                stepFaults.add(ErrorCode.INVALID_CONFIG);
              else if (step.op !== 'end' && ended) stepFaults.add(ErrorCode.CLOSED);
              const stepWhat = `${what}: ${step.op}(${step.op === 'set' ? String(typeof step.key === 'string' ? JSON.stringify(step.key) : typeof step.key) : ''})`;
              if (!expectOutcome(outcome, stepFaults.codes, stepWhat)) continue;
              if (step.op === 'set') context[step.key as string] = step.value;
              else if (step.op === 'fail') {
                failed = true;
                if (step.value !== undefined) context.error = errorText(step.value);
              } else {
                const ending = outcome.value as PerformanceMetric;
                if (ended) ensure(ending === sample, `${stepWhat}: a second end() returned another sample`);
                sample ??= ending;
                ended = true;
              }
            }
            if (throws && form !== 'scope') throw failure;
            return 'callback result';
          };

          // biome-ignore lint/suspicious/noExplicitAny: the fuzz passes what callers can pass.
          const loose = app as any;
          const started = attempt(() =>
            form === 'scope'
              ? loose.performanceTracker(name, tags)
              : form === 'callback'
                ? loose.performanceTracker(name, run)
                : form === 'callbackWithTags'
                  ? loose.performanceTracker(name, tags, run)
                  : loose.performanceTracker(name, tags, callback),
          );
          if (started.ok === false && started.error === failure) {
            // The callback threw: rethrown unchanged, the scope (unless it ended already) ends as an error.
            if (!ended) {
              failed = true;
              context.error = errorText(failure);
            }
          } else if (!expectOutcome(started, faults.codes, what)) {
            ensureUnchanged(before, appFingerprint(app, registry), what);
            return;
          } else if (form === 'scope') {
            run(started.value as TrackerScope);
          } else {
            ensure(started.value === 'callback result', `${what}: the callback's result changed`);
          }
          const recorded = form !== 'scope' || ended;
          const timerName = name as string;
          ensure(
            app.getCallCounts()[timerName] === (recorded ? 1 : 0) + (timerName === EXISTING_TIMER ? 1 : 0),
            `${what}: call count ${app.getCallCounts()[timerName]}`,
          );
          const samples = app.getCollectedMetrics().filter((item) => item.name === timerName);
          ensure(samples.length === (recorded ? 1 : 0), `${what}: ${samples.length} samples`);
          if (!recorded) return;
          const kept = samples[0]!;
          if (sample !== undefined)
            ensure(kept === sample, `${what}: end() returned another sample than the one kept`);
          const expectedTags = {
            ...canonicalTags(form === 'callback' ? undefined : tags),
            outcome: failed ? 'error' : 'success',
          };
          ensureSame(kept.tags, expectedTags, `${what}: sample tags`);
          const expectedContext = Object.keys(context).length === 0 ? undefined : context;
          ensure(
            sameContext(kept.context, expectedContext),
            `${what}: context ${show(kept.context)} instead of ${show(expectedContext)}`,
          );
        },
        1500,
      );
    });

    it('recordCustomMetric: any PerformanceMetric-like object', () => {
      const types = ['counter', 'gauge', 'histogram', 'timer'];
      checkProperty(
        'app.custom-metric',
        fc.record(
          {
            // Each field is usually valid, so that accepted samples are checked too.
            name: fc.oneof(
              { arbitrary: anyText(20), weight: 8 },
              { arbitrary: junk, weight: 1 },
              {
                arbitrary: fc.constantFrom('a'.repeat(MAX_NAME_LENGTH), 'a'.repeat(MAX_NAME_LENGTH + 1)),
                weight: 1,
              },
            ),
            value: fc.oneof(
              { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 6 },
              { arbitrary: numberOrJunk, weight: 2 },
            ),
            type: fc.oneof(
              { arbitrary: fc.constantFrom(...types), weight: 8 },
              { arbitrary: fc.constantFrom('Timer', 'summary', ''), weight: 1 },
              { arbitrary: junk, weight: 1 },
            ),
            unit: fc.oneof(
              {
                arbitrary: fc.constantFrom('seconds', 'bytes', 'count', 'ratio', 'eur', 'MILLISECONDS'),
                weight: 4,
              },
              { arbitrary: unitInput, weight: 3 },
            ),
            tags: tagsInput(),
            timestamp: fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 3 },
              { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 3 },
              { arbitrary: numberOrJunk, weight: 1 },
            ),
            sampleRate: fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 4 },
              { arbitrary: fc.double({ min: 0, max: 1 }), weight: 3 },
              { arbitrary: numberOrJunk, weight: 1 },
            ),
            context: fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 3 },
              { arbitrary: fc.dictionary(fc.string({ maxLength: 4 }), junk, { maxKeys: 3 }), weight: 3 },
              { arbitrary: junk, weight: 1 },
            ),
          },
          { requiredKeys: ['name', 'value', 'type', 'unit'] },
        ),
        (metric) => {
          const { registry, app } = fixture({ maxSamplesPerSecond: false });
          const faults = new Faults();
          const { name, value, type, unit, tags, timestamp, sampleRate, context } = metric as Record<
            string,
            unknown
          >;
          if (typeof name !== 'string' || name === '' || name.length > MAX_NAME_LENGTH)
            faults.add(ErrorCode.INVALID_NAME);
          if (typeof value !== 'number' || !Number.isFinite(value)) faults.add(ErrorCode.INVALID_VALUE);
          if (!types.includes(type as string)) faults.add(ErrorCode.INVALID_CONFIG);
          const units = unitModel(unit);
          if (!units.ok) faults.add(ErrorCode.INVALID_UNIT);
          // Tags: labels as core's README defines them (custom samples reserve no name).
          tagFaults(tags, faults, []);
          if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp)))
            faults.add(ErrorCode.INVALID_VALUE);
          if (
            sampleRate !== undefined &&
            !(typeof sampleRate === 'number' && sampleRate > 0 && sampleRate <= 1)
          )
            faults.add(ErrorCode.INVALID_VALUE);
          if (context !== undefined && (typeof context !== 'object' || context === null))
            faults.add(ErrorCode.INVALID_CONFIG);
          const what = `recordCustomMetric(${show(metric)})`;
          const before = appFingerprint(app, registry);
          const outcome = attempt(() => app.recordCustomMetric(metric as never));
          if (!expectOutcome(outcome, faults.codes, what)) {
            ensureUnchanged(before, appFingerprint(app, registry), what);
            ensure(app.getCollectedMetrics().length === 0, `${what}: a rejected sample was stored`);
            return;
          }
          const stored = outcome.value;
          const drained = app.getCollectedMetrics();
          ensure(drained.length === 1 && drained[0] === stored, `${what}: the sample is not the one stored`);
          ensure(
            stored.name === name && Object.is(stored.value, value) && stored.type === type,
            `${what}: fields changed`,
          );
          ensure(units.ok && stored.unit === units.unit, `${what}: unit ${stored.unit}`);
          ensureSame(stored.tags, canonicalTags(tags), `${what}: tags`);
          ensure(
            timestamp === undefined
              ? Math.abs(stored.timestamp - Date.now()) < 60_000
              : stored.timestamp === timestamp,
            `${what}: timestamp ${stored.timestamp}`,
          );
          ensure(
            stored.sampleRate === (sampleRate === undefined || sampleRate === 1 ? undefined : sampleRate),
            `${what}: sample rate ${stored.sampleRate}`,
          );
          ensure(
            sameContext(stored.context, context as Record<string, unknown> | undefined),
            `${what}: context`,
          );
        },
        2500,
      );
    });

    it('collector options and runtime health: start, a second owner refused, stop', async () => {
      const runtime = fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 2 },
        {
          arbitrary: fc.record(
            {
              eventLoopResolutionMs: fc.oneof(
                { arbitrary: fc.integer({ min: 1, max: 100 }), weight: 3 },
                { arbitrary: integerOption(1, 10_000), weight: 1 },
              ),
              intervalMs: fc.oneof(
                { arbitrary: fc.constantFrom(10, 9, 86_400_000, 86_400_001, 60_000), weight: 2 },
                { arbitrary: integerOption(10, 86_400_000), weight: 1 },
              ),
              gc: fc.oneof({ arbitrary: fc.boolean(), weight: 4 }, { arbitrary: junk, weight: 1 }),
            },
            { requiredKeys: [] },
          ),
          weight: 6,
        },
        { arbitrary: junk, weight: 1 },
      );
      await checkAsyncProperty(
        'app.collector-options',
        fc.record(
          {
            name: fc.oneof(
              { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), weight: 4 },
              { arbitrary: anyText(12), weight: 2 },
              { arbitrary: junk, weight: 1 },
              { arbitrary: fc.constantFrom('app', 'other', 'svc.é', ...unprintable()), weight: 1 },
            ),
            trackMemory: fc.oneof({ arbitrary: fc.boolean(), weight: 4 }, { arbitrary: junk, weight: 1 }),
            maxSamplesPerSecond: fc.oneof(
              { arbitrary: fc.constant(false), weight: 1 },
              { arbitrary: fc.integer({ min: 1, max: 1000 }), weight: 3 },
              { arbitrary: integerOption(1, 10_000_000), weight: 1 },
            ),
            bufferSize: fc.oneof(
              { arbitrary: fc.integer({ min: 1, max: 10_000 }), weight: 3 },
              { arbitrary: integerOption(1, 10_000_000), weight: 1 },
            ),
            durationBuckets: fc.oneof(
              { arbitrary: validBuckets, weight: 3 },
              { arbitrary: bucketsInput, weight: 1 },
            ),
            runtime,
            start: fc.nat(4),
          },
          { requiredKeys: [] },
        ),
        async (options) => {
          const registry = new MetricsRegistry({ logger: silentLogger });
          // Another collector named "other" is there first: its name is taken.
          getApplicationCollector({ registry, name: 'other' });
          const faults = new Faults();
          const {
            name,
            trackMemory,
            maxSamplesPerSecond,
            bufferSize,
            durationBuckets,
            runtime: health,
          } = options;
          // The collector's name becomes a label value: core's BaseCollector checks it first.
          if (name !== undefined && (typeof name !== 'string' || name === '' || !name.isWellFormed()))
            faults.add(ErrorCode.INVALID_CONFIG);
          if (trackMemory !== undefined && typeof trackMemory !== 'boolean')
            faults.add(ErrorCode.INVALID_CONFIG);
          if (
            maxSamplesPerSecond !== undefined &&
            maxSamplesPerSecond !== false &&
            !integerIn(maxSamplesPerSecond, 1, 10_000_000)
          )
            faults.add(ErrorCode.INVALID_CONFIG);
          if (bufferSize !== undefined && !integerIn(bufferSize, 1, 10_000_000))
            faults.add(ErrorCode.INVALID_CONFIG);
          if (durationBuckets !== undefined && !bucketsOk(durationBuckets))
            faults.add(ErrorCode.INVALID_CONFIG);
          if (health !== undefined) {
            if (typeof health !== 'object' || health === null) faults.add(ErrorCode.INVALID_CONFIG);
            else {
              const { eventLoopResolutionMs, intervalMs, gc } = health as Record<string, unknown>;
              if (eventLoopResolutionMs !== undefined && !integerIn(eventLoopResolutionMs, 1, 10_000))
                faults.add(ErrorCode.INVALID_CONFIG);
              if (intervalMs !== undefined && !integerIn(intervalMs, 10, 86_400_000))
                faults.add(ErrorCode.INVALID_CONFIG);
              if (gc !== undefined && typeof gc !== 'boolean') faults.add(ErrorCode.INVALID_CONFIG);
            }
          }
          if (faults.none && (name ?? 'app') === 'other') faults.add(ErrorCode.INVALID_CONFIG);
          const what = `getApplicationCollector(${show(options)})`;
          const before = registryFingerprint(registry);
          const made = attempt(() => getApplicationCollector({ ...(options as object), registry }));
          if (!expectOutcome(made, faults.codes, what)) {
            ensureUnchanged(before, registryFingerprint(registry), what);
            return;
          }
          const app = made.value;
          ensure(
            app.name === (name ?? 'app') && app.trackMemory === (trackMemory ?? false),
            `${what}: options not kept`,
          );
          ensure(registry.collectors.includes(app), `${what}: not registered`);
          const timed = app.timed((x: number) => x + 1, { name: 'probe' });
          ensure(timed(1) === 2, `${what}: a timed call changed its result`);
          if (Array.isArray(durationBuckets)) {
            const bounds = app.getDurationHistogram('probe')?.bounds ?? [];
            const given =
              durationBuckets.at(-1) === Number.POSITIVE_INFINITY
                ? durationBuckets.slice(0, -1)
                : durationBuckets;
            ensureSame(bounds.filter(Number.isFinite), given, `${what}: duration buckets`);
          }
          if (options.start !== 0) return;
          // Runtime health: one owner per registry; a refused start changes nothing.
          app.start();
          try {
            ensure(app.running, `${what}: not running after start()`);
            const second = getApplicationCollector({
              registry,
              name: app.name === 'second' ? 'third' : 'second',
            });
            const beforeSecond = registryFingerprint(registry);
            const refused = attempt(() => second.start());
            expectOutcome(refused, new Set([ErrorCode.METRIC_CONFLICT]), `${what}: second start()`);
            ensureUnchanged(beforeSecond, registryFingerprint(registry), `${what}: second start()`);
            ensure(!second.running, `${what}: the second collector runs`);
            const reading = await app.collectRuntimeHealth();
            ensure(reading !== undefined && reading.heap.usedBytes > 0, `${what}: no runtime-health reading`);
          } finally {
            await app.stop();
          }
          ensure(!app.running, `${what}: running after stop()`);
        },
        600,
      );
    });
  });
}

/** Core's rule for `le` bounds, which the README gives for `durationBuckets` too. */
function bucketsOk(buckets: unknown): boolean {
  if (!Array.isArray(buckets)) return false;
  const bounds = buckets.at(-1) === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : buckets;
  return (
    bounds.length > 0 &&
    bounds.every(
      (bound, i) => typeof bound === 'number' && Number.isFinite(bound) && (i === 0 || bound > bounds[i - 1]),
    )
  );
}

/** What `fail(value)` puts in the context (README: the error's message). */
function errorText(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** True when a sample's context holds the same keys and values (same objects) as `expected`. */
function sameContext(
  actual: Readonly<Record<string, unknown>> | undefined,
  expected: Record<string, unknown> | undefined,
): boolean {
  if (actual === undefined || expected === undefined) return actual === expected;
  const keys = Object.keys(expected);
  return (
    keys.length === Object.keys(actual).length && keys.every((key) => Object.is(actual[key], expected[key]))
  );
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_, item) =>
      typeof item === 'number' && !Number.isFinite(item)
        ? String(item)
        : typeof item === 'symbol'
          ? String(item)
          : item,
    ).slice(0, 300);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
