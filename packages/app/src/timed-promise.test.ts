import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testCollector } from './test-support/app-collector.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A promise subclass with a method of its own, as HTTP clients hand back (`.cancel()`, `.json()`). */
class CancellablePromise<T> extends Promise<T> {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
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
  it('is the very promise, with its own properties and its class', async () => {
    const { app } = testCollector();
    const made: Promise<string>[] = [];
    const load = app.timed(
      () => {
        const promise = Promise.resolve('row') as Promise<string> & { abort?: () => string };
        promise.abort = () => 'aborted';
        made.push(promise);
        return promise;
      },
      { name: 'load' },
    );
    const returned = load() as Promise<string> & { abort?: () => string };
    expect(returned).toBe(made[0]);
    expect(returned.abort?.()).toBe('aborted');
    expect(await returned).toBe('row');

    const request = app.timed(() => new CancellablePromise<number>((resolve) => setTimeout(resolve, 5, 1)), {
      name: 'request',
    });
    const pending = request();
    expect(pending).toBeInstanceOf(CancellablePromise);
    pending.cancel();
    expect(pending.cancelled).toBe(true);
    expect(await pending).toBe(1);
    expect(app.getCallCounts()).toEqual({ load: 1, request: 1 });
  });

  it("is the callback's very promise in performanceTracker's callback form, ended on settle", async () => {
    const { app } = testCollector();
    let release!: () => void;
    const work = new Promise<void>((resolve) => (release = resolve));
    const returned = app.performanceTracker('batch', { size: 'large' }, () => work);
    expect(returned).toBe(work);
    expect(app.getCallCounts()).toEqual({ batch: 0 });
    release();
    await returned;
    expect(app.getCallCounts()).toEqual({ batch: 1 });
  });

  it('settles on the same microtask turn as the untimed promise, fulfilled or rejected', async () => {
    const { app } = testCollector();
    const resolved = async () => 1;
    const rejected = async () => {
      throw new Error('no');
    };
    expect(await turnsUntilSettled(app.timed(resolved)())).toBe(await turnsUntilSettled(resolved()));
    expect(await turnsUntilSettled(app.timed(rejected)())).toBe(await turnsUntilSettled(rejected()));
    const settled = Promise.resolve(2);
    expect(await turnsUntilSettled(app.timed(() => settled, { name: 'settled' })())).toBe(
      await turnsUntilSettled(Promise.resolve(2)),
    );
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
    expect(await pending).toBe('Ada');
    expect(await seenByThen).toBe(1);

    const failing = app.timed(
      async () => {
        await null;
        throw new RangeError('gone');
      },
      { name: 'failing' },
    );
    const seenByCatch = failing().catch(
      () => app.getDurationSummary('failing', undefined, 'error')!.cumulative,
    );
    expect((await seenByCatch).count).toBe(1);
  });

  it('adds no unhandled rejection; one that nobody handles is recorded, not reported by Node', () => {
    // A child process: an untimed rejection left alone must be reported there, which would fail
    // this test runner. Bounded at 60 s.
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(packageDir, 'src', '__fixtures__', 'unhandled-rejections.ts')],
      { cwd: packageDir, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { reported, errors } = JSON.parse(run.stdout) as {
      reported: string[];
      errors: Record<string, number>;
    };
    // Untimed, the rejection left alone is reported: the child can see reports. Timed, handling
    // it adds nothing, and the one left alone is no longer reported (the timer's reaction
    // handles it, see the README) but is recorded as an error like every other.
    expect(reported).toEqual(['untimed promise, left alone']);
    expect(errors).toEqual({
      left_alone: 1,
      handled: 1,
      awaited: 1,
      thenable_left_alone: 1,
      thenable_handled: 1,
    });
  }, 90_000);
});
