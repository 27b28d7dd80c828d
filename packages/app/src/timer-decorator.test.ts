import { ConfigError } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { testCollector } from './test-support/app-collector.js';

/** A standard (TC39) decorator context as TypeScript's downlevelled code builds it. */
function methodContext(name: string | symbol, initializers: ((this: unknown) => void)[], kind = 'method') {
  return {
    kind,
    name,
    static: false,
    private: false,
    metadata: {},
    access: { has: () => true, get: () => undefined },
    addInitializer: (initializer: (this: unknown) => void) => void initializers.push(initializer),
  } as unknown as ClassMethodDecoratorContext<unknown, () => string>;
}

describe('performanceTimer run-time detection', () => {
  it('resolves Class.method on first call when no initializer ran, running untimed until then', () => {
    const { app, registry } = testCollector();
    const initializers: ((this: unknown) => void)[] = [];
    const greet = function greet(this: unknown) {
      return 'hi';
    };
    const timed = app.performanceTimer()(greet, methodContext('greet', initializers));
    expect(initializers).toHaveLength(1);
    // No receiver to find the class from: the call runs untimed and the failure is counted once.
    expect(timed.call(undefined)).toBe('hi');
    expect(timed.call(42)).toBe('hi');
    expect(registry.self.collectorErrors.get({ collector: 'app', operation: 'resolve_timer_name' })).toBe(1);
    expect(app.getCallCounts()).toEqual({});
    class Host {}
    Object.defineProperty(Host.prototype, 'greet', { value: timed });
    expect((new Host() as { greet(): string }).greet()).toBe('hi');
    expect(app.getCallCounts()).toEqual({ 'Host.greet': 1 });
  });

  it('binds through the class initializer, before the first call', () => {
    const { app } = testCollector();
    const initializers: ((this: unknown) => void)[] = [];
    const timed = app.performanceTimer()(
      function run() {
        return 'ran';
      },
      methodContext('run', initializers),
    );
    class Job {}
    Object.defineProperty(Job.prototype, 'run', { value: timed });
    initializers[0]!.call(new Job());
    expect(app.getCallCounts()).toEqual({ 'Job.run': 0 });
    expect(timed.call(new Job())).toBe('ran');
    expect(app.getCallCounts()).toEqual({ 'Job.run': 1 });
  });

  it("names the receiver's class when another decorator wrapped the timer again", () => {
    const { app } = testCollector();
    const initializers: ((this: unknown) => void)[] = [];
    const timed = app.performanceTimer()(
      function save() {
        return 'saved';
      },
      methodContext('save', initializers),
    );
    const outer = function save(this: unknown) {
      return timed.call(this);
    };
    class Repository {}
    Object.defineProperty(Repository.prototype, 'save', { value: outer });
    const repository = new Repository();
    initializers[0]!.call(repository);
    expect((repository as { save(): string }).save()).toBe('saved');
    expect(app.getCallCounts()).toEqual({ 'Repository.save': 1 });
  });

  it('runs a method untimed, and counts it once, when its resolved name conflicts', () => {
    const { app, registry } = testCollector();
    app.timed(() => 0, { name: 'host_greet' });
    const initializers: ((this: unknown) => void)[] = [];
    const timed = app.performanceTimer()(
      function greet() {
        return 'hello';
      },
      methodContext('greet', initializers),
    );
    class Host {}
    Object.defineProperty(Host.prototype, 'greet', { value: timed });
    initializers[0]!.call(new Host());
    expect(timed.call(new Host())).toBe('hello');
    expect(timed.call(new Host())).toBe('hello');
    expect(registry.self.collectorErrors.get({ collector: 'app', operation: 'bind_timer' })).toBe(1);
    expect(app.getCallCounts()).toEqual({ host_greet: 0 });
  });

  it('refuses getters, setters, fields, accessors and classes in standard mode', () => {
    const { app } = testCollector();
    const decorator = app.performanceTimer() as unknown as (value: unknown, context: unknown) => unknown;
    for (const kind of ['getter', 'setter', 'field', 'accessor', 'class']) {
      expect(() => decorator(() => 1, methodContext('member', [], kind))).toThrow(ConfigError);
    }
    expect(() => decorator(() => 1, methodContext('member', [], 'getter'))).toThrow(/member is a getter/);
  });

  it('refuses fields and accessors in legacy mode', () => {
    const { app } = testCollector();
    const decorator = app.performanceTimer() as unknown as (
      target: object,
      key: string,
      descriptor?: PropertyDescriptor,
    ) => unknown;
    class Model {}
    expect(() => decorator(Model.prototype, 'field', undefined)).toThrow(
      /Model\.field is a field or an accessor/,
    );
    expect(() => decorator(Model.prototype, 'size', { get: () => 1, configurable: true })).toThrow(
      ConfigError,
    );
  });

  it('wraps a legacy method descriptor without changing the original descriptor', () => {
    const { app } = testCollector();
    const decorator = app.performanceTimer() as unknown as (
      target: object,
      key: string,
      descriptor: PropertyDescriptor,
    ) => PropertyDescriptor;
    class Store {
      readonly rows: string[] = [];
      static find() {
        return 'found';
      }
    }
    const original = Object.getOwnPropertyDescriptor(Store, 'find')!;
    const decorated = decorator(Store, 'find', original);
    expect(decorated.value).not.toBe(original.value);
    expect(original.value).toBe(Store.find);
    expect(decorated.value.call(Store)).toBe('found');
    expect(app.getCallCounts()).toEqual({ 'Store.find': 1 });
  });

  it('refuses anything that is neither a decorator call nor a function', () => {
    const { app } = testCollector();
    const decorator = app.performanceTimer() as unknown as (value: unknown) => unknown;
    expect(() => decorator(42)).toThrow(ConfigError);
    expect(() => decorator({})).toThrow(/use it as a method decorator or pass it a function/);
  });
});
