import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('README examples', () => {
  it('quick-start: a real CPU figure in percent and MemTotal as /proc/meminfo says', () => {
    const run = runReadmeExample(packageDir, 'quick-start');
    expect(run.status, run.stderr).toBe(0);
    const cpu = /^cpu (\d+\.\d) percent$/m.exec(run.stdout);
    expect(cpu, run.stdout).not.toBeNull();
    expect(Number(cpu![1])).toBeGreaterThanOrEqual(0);
    expect(Number(cpu![1])).toBeLessThanOrEqual(100);
    const kib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
    expect(run.stdout).toContain(`node_memory_MemTotal_bytes ${kib * 1024}`);
  });

  it('continuous: runs every 0.5 s into the buffer, drained once', () => {
    const run = runReadmeExample(packageDir, 'continuous');
    expect(run.status, run.stderr).toBe(0);
    const match = /^runs (\d+), samples (\d+)$/m.exec(run.stdout);
    expect(match, run.stdout).not.toBeNull();
    // 1.6 s at 0.5 s: runs at 0, 0.5, 1 and 1.5 s; a loaded machine may skip one.
    expect(Number(match![1])).toBeGreaterThanOrEqual(3);
    expect(Number(match![1])).toBeLessThanOrEqual(4);
    expect(Number(match![2])).toBeGreaterThan(Number(match![1]) * 10);
    expect(run.stdout).toContain('empty after drain: true');
  });
});
