/**
 * Run as a child process by `timed-promise.test.ts`: calls functions whose promise (or thenable)
 * rejects, timed and untimed, with the rejection handled or left alone, then prints as JSON which
 * rejections Node reported as unhandled and what the collector recorded. Each scenario rejects
 * with its own message, so a report says which scenario it came from.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricsRegistry, silentLogger } from '@fw0/metrics-core';
import { ApplicationMetricsCollector } from '../collector.js';

const reported: string[] = [];
process.on('unhandledRejection', (reason) => reported.push((reason as Error).message));

const app = new ApplicationMetricsCollector({ registry: new MetricsRegistry({ logger: silentLogger }) });

const rejecting = (message: string) => async (): Promise<never> => {
  await null;
  throw new Error(message);
};
const rejectingThenable = (message: string) => () => ({
  // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is what this scenario times.
  then(_resolve: unknown, reject: (reason: unknown) => void) {
    setTimeout(() => reject(new Error(message)), 1);
  },
});
const handle = (value: unknown): void => {
  Promise.resolve(value).catch(() => {});
};

void rejecting('untimed promise, left alone')();
handle(rejecting('untimed promise, handled')());
void app.timed(rejecting('timed promise, left alone'), { name: 'left_alone' })();
handle(app.timed(rejecting('timed promise, handled'), { name: 'handled' })());
try {
  await app.timed(rejecting('timed promise, awaited'), { name: 'awaited' })();
} catch {
  // handled by await
}
void app.timed(rejectingThenable('timed thenable, left alone'), { name: 'thenable_left_alone' })();
handle(app.timed(rejectingThenable('timed thenable, handled'), { name: 'thenable_handled' })());
void rejectingThenable('untimed thenable, left alone')();

await sleep(100);
const errors: Record<string, number | undefined> = {};
for (const name of Object.keys(app.getCallCounts())) {
  errors[name] = app.getDurationSummary(name, undefined, 'error')?.cumulative.count;
}
console.log(JSON.stringify({ reported: reported.sort(), errors }));
