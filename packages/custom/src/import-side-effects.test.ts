import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./index.ts', import.meta.url));

/**
 * In a fresh Node process: counts timers scheduled while the package is imported (the timer
 * functions are wrapped before the import) and the timers still active afterwards.
 */
const script = `
import { syncBuiltinESMExports } from 'node:module';
import timers from 'node:timers';
let scheduled = 0;
for (const target of [globalThis, timers]) {
  for (const name of ['setTimeout', 'setInterval', 'setImmediate']) {
    const original = target[name];
    target[name] = (...args) => { scheduled++; return original(...args); };
  }
}
syncBuiltinESMExports();
const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const module = await import(${JSON.stringify(entry)});
const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
console.log(JSON.stringify({ scheduled, timers: after - before, exports: Object.keys(module).length }));
`;

describe('importing the package', () => {
  it('schedules no timer and leaves none running', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(report.exports).toBeGreaterThan(3);
    expect(report.scheduled).toBe(0);
    expect(report.timers).toBe(0);
  });
});
