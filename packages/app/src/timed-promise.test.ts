import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testCollector } from './test-support/app-collector.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(packageDir, 'src', '__fixtures__', 'unhandled-rejections.ts');

/** Runs the unhandled-rejection fixture in `mode` in a child process, bounded at 60 s. */
function runFixture(mode: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', fixture, mode], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A promise subclass with a method of its own, as HTTP clients hand back (`.cancel()`, `.json()`). */
class CancellablePromise<T> extends Promise<T> {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
  }
}

/** A promise subclass whose species cannot be constructed, so its `then` throws. */
class UnforkablePromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return function refuse() {
      throw new Error('no derived promises');
    } as unknown as PromiseConstructor;
  }
}

/**
 * Microtask turns until `promise` settles as seen by a reaction attached now, counted by a chain
 * of `await null` running beside it (bounded at 50 turns).
 */
async function turnsUntilSettled(promise: Promise<unknown>): Promise<number> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  let turns = 0;
  while (!settled && turns < 50) {
    await null;
    turns++;
  }
  return turns;
}

describe('what a timed call hands back for a promise', () => {
  it('settles with the very value and the very reason', async () => {
    const { app } = testCollector();
    const row = { id: 7 };
    const reason = new RangeError('gone');
    const load = app.timed(async () => row, { name: 'load' });
    const fail = app.timed(
      async () => {
        await null;
        throw reason;
      },
      { name: 'fail' },
    );
    expect(await load()).toBe(row);
    await expect(fail()).rejects.toBe(reason);
    expect(await app.performanceTracker('tracked', () => Promise.resolve(row))).toBe(row);
    await expect(app.performanceTracker('tracked_failure', () => Promise.reject(reason))).rejects.toBe(
      reason,
    );
    expect(app.getCallCounts()).toEqual({ load: 1, fail: 1, tracked: 1, tracked_failure: 1 });
    expect(app.getDurationSummary('fail', undefined, 'error')!.cumulative.count).toBe(1);
  });

  it("is an instance of the promise's subclass (its species), whose own methods work", async () => {
    const { app } = testCollector();
    const request = app.timed(() => new CancellablePromise<number>((resolve) => setTimeout(resolve, 5, 1)), {
      name: 'request',
    });
    const pending = request();
    expect(pending).toBeInstanceOf(CancellablePromise);
    expect(pending.cancelled).toBe(false);
    pending.cancel();
    expect(pending.cancelled).toBe(true);
    expect(await pending).toBe(1);
    expect(app.getCallCounts()).toEqual({ request: 1 });
  });

  it('is a new promise: own properties set on the instance are not carried over (documented)', async () => {
    const { app } = testCollector();
    let made!: Promise<string> & { abort?: () => string };
    const load = app.timed(
      () => {
        made = Promise.resolve('row');
        made.abort = () => 'aborted';
        return made;
      },
      { name: 'load' },
    );
    const returned = load() as Promise<string> & { abort?: () => string };
    expect(returned).not.toBe(made);
    expect(returned).toBeInstanceOf(Promise);
    expect(Object.hasOwn(returned, 'abort')).toBe(false);
    expect(returned.abort).toBeUndefined();
    expect(made.abort?.()).toBe('aborted'); // the function's own promise is left as it was
    expect(await returned).toBe('row');
  });

  it('records on settle, not on return, before a continuation the caller attached sees it', async () => {
    const { app } = testCollector();
    let release!: (value: string) => void;
    const fetchUser = app.timed(() => new Promise<string>((resolve) => (release = resolve)), {
      name: 'fetchUser',
    });
    const pending = fetchUser();
    expect(app.getCallCounts()).toEqual({ fetchUser: 0 });
    const seenByThen = pending.then(() => app.getCallCounts().fetchUser);
    release('Ada');
    expect(app.getCallCounts()).toEqual({ fetchUser: 0 }); // resolving is not settling yet: reactions run later
    expect(await seenByThen).toBe(1);
    expect(await pending).toBe('Ada');

    const failing = app.timed(
      async () => {
        await null;
        throw new RangeError('gone');
      },
      { name: 'failing' },
    );
    const seenByCatch = failing().catch(
      () => app.getDurationSummary('failing', undefined, 'error')?.cumulative.count ?? 0,
    );
    expect(await seenByCatch).toBe(1);
  });

  it('settles one microtask turn after the untimed promise, fulfilled or rejected (documented)', async () => {
    const { app } = testCollector();
    const resolved = async () => 1;
    const rejected = async () => {
      throw new Error('no');
    };
    const settled = Promise.resolve(2);
    const cases: [timed: () => Promise<unknown>, untimed: () => Promise<unknown>][] = [
      [app.timed(resolved), resolved],
      [app.timed(rejected), rejected],
      [app.timed(() => settled, { name: 'settled' }), () => Promise.resolve(2)],
    ];
    for (const [timed, untimed] of cases) {
      expect(await turnsUntilSettled(timed())).toBe((await turnsUntilSettled(untimed())) + 1);
    }
  });

  it('hands back the promise itself, untimed, when its then throws, and counts the failure', () => {
    const { app, registry } = testCollector();
    const made = UnforkablePromise.resolve(3);
    const make = app.timed(() => made, { name: 'unforkable' });
    expect(make()).toBe(made);
    expect(registry.self.collectorErrors.get({ collector: 'app', operation: 'settle' })).toBe(1);
    expect(app.getCallCounts()).toEqual({ unforkable: 0 });
  });
});

describe('unhandled rejections of timed calls (child processes)', () => {
  it('reports a rejection nobody handles exactly as untimed, with the same reason; a handled one not', () => {
    const run = runFixture('report');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { reported, errors } = JSON.parse(run.stdout) as {
      reported: { message: string; sameReason: boolean; samePromise: boolean }[];
      errors: Record<string, number>;
    };
    // Every scenario left alone is reported, with the very error it threw, on the very promise
    // the caller was handed; none that was handled or awaited is.
    expect(reported).toEqual(
      [
        'timed promise, left alone',
        'timed thenable, left alone',
        'tracked promise, left alone',
        'untimed promise, left alone',
        'untimed thenable, awaited, left alone',
      ].map((message) => ({ message, sameReason: true, samePromise: true })),
    );
    // Every timed rejection is recorded as an error, handled or not.
    expect(errors).toEqual({
      left_alone: 1,
      handled: 1,
      awaited: 1,
      tracked_left_alone: 1,
      thenable_left_alone: 1,
      thenable_handled: 1,
    });
  }, 90_000);

  it.each([
    ['untimed', 'untimed promise, no listener'],
    ['timed', 'timed promise, no listener'],
    ['thenable', 'timed thenable, no listener'],
  ])(
    'ends the process on a %s rejection nobody handles (Node default), timed as untimed',
    (scenario, message) => {
      const run = runFixture(`crash:${scenario}`);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Error: ${message}`);
      expect(run.stdout).not.toContain('still running');
    },
    90_000,
  );
});
