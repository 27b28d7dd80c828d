import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProcTree } from '../test-support/fixtures.js';
import { ProcFile } from './proc-file.js';

describe('ProcFile', () => {
  it('reads the real /proc files whole, as readFile does', async () => {
    for (const name of ['meminfo', 'mounts', 'diskstats', 'net/dev']) {
      const file = new ProcFile(join('/proc', name), 64);
      const text = await file.read();
      // The contents move between two reads; their shape does not.
      const expected = readFileSync(join('/proc', name), 'utf8');
      expect(text.split('\n').length).toBe(expected.split('\n').length);
      expect(text.split('\n')[0]!.split(':')[0]).toBe(expected.split('\n')[0]!.split(':')[0]);
      await file.close();
    }
  });

  it('gets fresh text on every read through the same descriptor', async () => {
    const file = new ProcFile('/proc/self/stat');
    const first = await file.read();
    // Fields after the command name (which may hold blanks): field 3 onwards.
    const field = (text: string, number: number) =>
      text.slice(text.lastIndexOf(')') + 2).split(' ')[number - 3];
    const utime = (text: string) => Number(field(text, 14));
    // Burn CPU until utime (field 14, in ticks) moves: at most 100 rounds of 20 ms.
    let second = first;
    for (let round = 0; round < 100 && utime(second) === utime(first); round++) {
      const until = performance.now() + 20;
      while (performance.now() < until) {
        // spin
      }
      second = await file.read();
    }
    expect(field(second, 22)).toBe(field(first, 22));
    expect(utime(second)).toBeGreaterThan(utime(first));
    expect(file.isOpen).toBe(true);
    await file.close();
    expect(file.isOpen).toBe(false);
  });

  it('grows its buffer for a file larger than it, and reopens after a failure', async () => {
    const tree = createProcTree();
    try {
      const big = 'x'.repeat(10_000);
      tree.write('big', big);
      const file = new ProcFile(join(tree.path, 'big'), 16);
      expect(await file.read()).toBe(big);
      const missing = new ProcFile(join(tree.path, 'later'));
      await expect(missing.read()).rejects.toMatchObject({ code: 'ENOENT' });
      expect(missing.isOpen).toBe(false);
      tree.write('later', 'now here');
      expect(await missing.read()).toBe('now here');
      await Promise.all([file.close(), missing.close()]);
    } finally {
      tree.remove();
    }
  });
});
