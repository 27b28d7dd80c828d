import { fileURLToPath } from 'node:url';
import { type StartedProcess, startProcess, waitFor } from '../../../../test-support/processes.js';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

/** A demo the test started (from sources, with tsx), on a free loopback port. */
export interface RunningDemo {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly process: StartedProcess;
  stop(): Promise<void>;
}

/** Starts the demo with `args` (plus `--port 0 --no-live`) and waits until it serves. */
export async function startDemo(args: readonly string[] = []): Promise<RunningDemo> {
  const demo = startProcess(process.execPath, ['--import', 'tsx', main, '--port', '0', '--no-live', ...args]);
  let url = '';
  try {
    await waitFor(
      'the demo to print its dashboard URL',
      () => {
        const match = /dashboard {2}(http:\/\/127\.0\.0\.1:\d+\/)/.exec(demo.output());
        if (match) url = match[1]!;
        // A demo that exited will print nothing more: stop waiting.
        return url !== '' || demo.child.exitCode !== null;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    if (url === '') throw new Error(`the demo exited with code ${demo.child.exitCode}`);
  } catch (error) {
    await demo.stop();
    throw new Error(`${String(error)}\n${demo.output()}`);
  }
  return { url, process: demo, stop: () => demo.stop() };
}
