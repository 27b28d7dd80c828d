import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess } from '../../../../test-support/processes.js';
import { type ScriptedReceiver, startScriptedReceiver } from '../test-support/scripted-receiver.js';

const child = fileURLToPath(new URL('../test-support/exporter-child.ts', import.meta.url));

interface ChildRun {
  status: number | null;
  /** stdout and stderr together. */
  output: string;
  /** From spawn to exit, in milliseconds. */
  elapsedMs: number;
}

/** Runs the child host to its end; stopped by PID after 30 s (which fails the test). */
async function runChild(mode: 'run' | 'stop' | 'flush', url: string): Promise<ChildRun> {
  const started = performance.now();
  const host = startProcess(process.execPath, ['--import', 'tsx', child, mode, url], {
    ...process.env,
    NODE_DEBUG: '',
  });
  const exited = new Promise<number | null>((resolve) =>
    host.child.once('exit', (status) => resolve(status)),
  );
  const killer = setTimeout(() => void host.stop(), 30_000);
  const status = await exited;
  clearTimeout(killer);
  await host.stop();
  return { status, output: host.output(), elapsedMs: performance.now() - started };
}

describe('an exporter in a host application', () => {
  let hanging: ScriptedReceiver;
  beforeAll(async () => {
    hanging = await startScriptedReceiver();
    hanging.script(() => 'hang');
  });
  afterAll(() => hanging.close());

  it('never throws and never keeps the process alive when the remote is down', async () => {
    const port = await freePort();
    const run = await runChild('run', `http://127.0.0.1:${port}/api/v1/write`);
    expect(run.output).toBe('host done\n');
    expect(run.status).toBe(0);
    // The host's own 300 ms timer plus tsx start-up; retries every 10-50 ms must not hold it.
    expect(run.elapsedMs).toBeLessThan(15_000);
  });

  it('lets the process exit with a request in flight to a remote that never answers', async () => {
    const before = hanging.requests.length;
    const run = await runChild('run', hanging.url);
    expect(run.output).toBe('host done\n');
    expect(run.status).toBe(0);
    expect(hanging.requests.length).toBeGreaterThan(before);
  });

  it('resolves a top-level await of stop() within its timeout with a push pending', async () => {
    const run = await runChild('stop', hanging.url);
    expect(run.status).toBe(0);
    // Nothing but the report: no error, no warning about an unsettled top-level await.
    const report = JSON.parse(run.output) as { stopMs: number; droppedAtShutdown: number };
    // stop({ timeoutMs: 400 }): at least the 400 ms it spends trying, plus slack for a loaded machine.
    expect(report.stopMs).toBeGreaterThanOrEqual(390);
    expect(report.stopMs).toBeLessThan(5000);
    expect(report.droppedAtShutdown).toBeGreaterThan(0);
  });

  it('regression: settles a top-level await of flush() when a request is in flight at its deadline', async () => {
    // The hold on the process used to end exactly at the deadline, when the flush's last request
    // timer (unref'd) was also due: the process could exit with the flush never settled.
    const run = await runChild('flush', hanging.url);
    expect(run.output).toMatch(/^\[.*\]\n$/);
    expect(run.status).toBe(0);
    const flushes = JSON.parse(run.output) as { flushMs: number; flushed: boolean }[];
    expect(flushes).toHaveLength(5);
    for (const { flushMs, flushed } of flushes) {
      expect(flushed).toBe(false);
      expect(flushMs).toBeGreaterThanOrEqual(300);
      expect(flushMs).toBeLessThan(5000);
    }
  });
});
