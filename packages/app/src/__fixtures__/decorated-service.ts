/**
 * One source, compiled by the tests under both TypeScript decorator modes (tsconfig.standard.json
 * and tsconfig.legacy.json, target ES2022 so `using` is downlevelled for Node 20): the same
 * classes, decorators and scopes must type-check and behave the same in each.
 */
import type { ApplicationMetricsCollector, TrackerScope } from '../index.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Defines the decorated classes against `app` (decorators run when the classes are defined). */
export function defineServices(app: ApplicationMetricsCollector) {
  class UserService {
    lookups = 0;

    constructor(readonly prefix: string) {}

    @app.performanceTimer()
    getUser(id: number): string {
      this.lookups++;
      return `${this.prefix}${id}`;
    }

    @app.performanceTimer('user_lookup', { source: 'db' })
    async loadUser(id: number, delayMs: number): Promise<string> {
      await sleep(delayMs);
      this.lookups++;
      return `${this.prefix}${id}`;
    }

    @app.performanceTimer()
    fail(error: unknown): never {
      throw error;
    }

    @app.performanceTimer()
    async reject(error: unknown): Promise<never> {
      await sleep(1);
      throw error;
    }

    @app.performanceTimer()
    fib(n: number): number {
      return n < 2 ? n : this.fib(n - 1) + this.fib(n - 2);
    }

    @app.performanceTimer()
    reenter(callback: () => void): string {
      callback();
      return this.prefix;
    }

    @app.performanceTimer()
    *ids(count: number): Generator<number> {
      for (let i = 0; i < count; i++) yield i;
    }

    @app.performanceTimer()
    hang(): Promise<never> {
      return new Promise<never>(() => {});
    }

    @app.performanceTimer({ name: 'UserService.allocate', trackMemory: true })
    allocate(bytes: number): Buffer {
      return Buffer.alloc(bytes, 1);
    }

    @app.performanceTimer()
    static create(prefix: string): UserService {
      return new UserService(prefix);
    }
  }

  class AdminService extends UserService {
    override getUser(id: number): string {
      return `admin:${super.getUser(id)}`;
    }
  }

  return { UserService, AdminService };
}

/** A decorator on a field: a type error in both modes, and a ConfigError when the class is defined. */
export function defineFieldTimer(app: ApplicationMetricsCollector): unknown {
  class Invalid {
    // @ts-expect-error performanceTimer decorates methods only
    @app.performanceTimer()
    field = 1;
  }
  return Invalid;
}

/** A `using` scope around synchronous work; the scope ends when the block is left. */
export function scopedWork<T>(app: ApplicationMetricsCollector, work: (scope: TrackerScope) => T): T {
  using scope = app.performanceTracker('Fixture.scope', { mode: 'sync' });
  scope.set('step', 'started');
  return work(scope);
}

/** A `using` scope whose block throws: `fail()` in the catch records the error outcome. */
export function scopedFailure(app: ApplicationMetricsCollector, error: unknown): never {
  using scope = app.performanceTracker('Fixture.scope', { mode: 'sync' });
  try {
    throw error;
  } catch (caught) {
    scope.fail(caught);
    throw caught;
  }
}

/** An `await using` scope around asynchronous work; returns the scope for inspection. */
export async function scopedAsyncWork(app: ApplicationMetricsCollector, delayMs: number): Promise<TrackerScope> {
  await using scope = app.performanceTracker('Fixture.asyncScope');
  await sleep(delayMs);
  scope.set('sleptMs', delayMs);
  return scope;
}
