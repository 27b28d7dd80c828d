/**
 * Run as a child process by `timed-promise.test.ts`, in one of two modes (the first argument):
 * - `report`: calls functions whose promise (or thenable) rejects, timed and untimed, with the
 *   rejection handled or left alone, then prints as JSON which rejections Node reported as
 *   unhandled (with whether the reported reason is the very error thrown, and the reported
 *   promise the very one the caller was handed) and what the collector recorded. Each scenario
 *   rejects with its own message, so a report says which scenario it came from.
 * - `crash:<scenario>` (`untimed`, `timed`, `thenable`): leaves one rejection alone with no
 *   `unhandledRejection` listener, as an application does, then prints `still running` if the
 *   process was not ended by Node's default `--unhandled-rejections=throw`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricsRegistry, silentLogger } from '@fw0/metrics-core';
import { ApplicationMetricsCollector } from '../collector.js';

const app = new ApplicationMetricsCollector({ registry: new MetricsRegistry({ logger: silentLogger }) });

/** The error each scenario rejects with, by message. */
const reasons = new Map<string, Error>();
const errorFor = (message: string): Error => {
  const error = new Error(message);
  reasons.set(message, error);
  return error;
};
const rejecting = (message: string) => async (): Promise<never> => {
  await null;
  throw errorFor(message);
};
const rejectingThenable = (message: string) => () => ({
  // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is what this scenario times.
  then(_resolve: unknown, reject: (reason: unknown) => void) {
    setTimeout(() => reject(errorFor(message)), 1);
  },
});
const handle = (value: unknown): void => {
  Promise.resolve(value).catch(() => {});
};

/** What the caller was handed in each scenario that leaves its rejection alone, by message. */
const leftAlone = new Map<string, unknown>();
const leaveAlone = (message: string, call: () => unknown): void => {
  leftAlone.set(message, call());
};

const mode = process.argv[2] ?? 'report';

if (mode === 'crash:untimed') {
  void rejecting('untimed promise, no listener')();
} else if (mode === 'crash:timed') {
  void app.timed(rejecting('timed promise, no listener'), { name: 'crash' })();
} else if (mode === 'crash:thenable') {
  void app.timed(rejectingThenable('timed thenable, no listener'), { name: 'crash' })();
} else if (mode === 'report') {
  const reported: { message: string; sameReason: boolean; samePromise: boolean }[] = [];
  process.on('unhandledRejection', (reason, promise) => {
    const message = (reason as Error).message;
    reported.push({
      message,
      sameReason: reasons.get(message) === reason,
      samePromise: leftAlone.get(message) === promise,
    });
  });

  leaveAlone('untimed promise, left alone', () => rejecting('untimed promise, left alone')());
  handle(rejecting('untimed promise, handled')());
  leaveAlone('timed promise, left alone', () =>
    app.timed(rejecting('timed promise, left alone'), { name: 'left_alone' })(),
  );
  handle(app.timed(rejecting('timed promise, handled'), { name: 'handled' })());
  try {
    await app.timed(rejecting('timed promise, awaited'), { name: 'awaited' })();
  } catch {
    // handled by await
  }
  leaveAlone('tracked promise, left alone', () =>
    app.performanceTracker('tracked_left_alone', () => rejecting('tracked promise, left alone')()),
  );
  // An awaited thenable left alone is the untimed counterpart of a timed one: `await` calls its
  // `then`, as the timer does, and the rejection lands on the async function's promise.
  leaveAlone('untimed thenable, awaited, left alone', () =>
    (async () => await (rejectingThenable('untimed thenable, awaited, left alone')() as PromiseLike<never>))(),
  );
  leaveAlone('timed thenable, left alone', () =>
    app.timed(rejectingThenable('timed thenable, left alone'), { name: 'thenable_left_alone' })(),
  );
  handle(app.timed(rejectingThenable('timed thenable, handled'), { name: 'thenable_handled' })());

  await sleep(100);
  const errors: Record<string, number | undefined> = {};
  for (const name of Object.keys(app.getCallCounts())) {
    errors[name] = app.getDurationSummary(name, undefined, 'error')?.cumulative.count;
  }
  reported.sort((left, right) => left.message.localeCompare(right.message));
  console.log(JSON.stringify({ reported, errors }));
} else {
  throw new Error(`unknown mode ${mode}`);
}

await sleep(100);
if (mode.startsWith('crash:')) console.log('still running');
