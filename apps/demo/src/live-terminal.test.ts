import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../../../test-support/binaries.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** One live update: erase the line (ESC shown as `<ESC>`), the progress bar, then the summary. */
const LIVE =
  /\r<ESC>\[2K\[[=> ]{30}\] +\d+% \d\/4 s {2}cpu (?:\d+\.\d%|-) \| mem \d+\.\d\d GiB \| (?:\S+ p99 \d+\.\d\d ms|no timers yet) \| probes 2\/2 up \| loop p99 (?:\d+\.\d\d ms|-)/g;

describe('the live summary on a terminal', () => {
  it('rewrites one line in place every second under a pseudo-terminal (script -qfec)', () => {
    // util-linux's script gives the demo a pseudo-terminal, so stdout.isTTY is true as in a shell.
    const script = requireBinary('script', 'bsdutils');
    const command = [process.execPath, '--import', 'tsx', main, '--port', '0', '--duration', '4']
      .map(quote)
      .join(' ');
    const result = spawnSync(script, ['-qfec', command, '/dev/null'], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const output = result.stdout.replaceAll('\u001b', '<ESC>');
    const updates = [...output.matchAll(LIVE)];
    // About one a second for 4 s (the first may come before any frame and show the bar only).
    expect(updates.length, output).toBeGreaterThanOrEqual(2);
    // In place: no line break between the first and the last update.
    const first = updates[0]!.index;
    const last = updates.at(-1)!.index + updates.at(-1)![0].length;
    expect(output.slice(first, last)).not.toMatch(/\n/);
    expect(output).toMatch(/fw0 demo report \(\d+\.\d s\)/);
  }, 90_000);

  it('prints no live summary when stdout is not a terminal', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', main, '--port', '0', '--duration', '2'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('\u001b[2K');
    expect(result.stdout).not.toMatch(/\| probes \d+\/\d+ up \|/);
    // The progress bar is still there, one line per update.
    expect(result.stdout).toMatch(/^\[[=> ]{30}\] +\d+% \d\/2 s$/m);
  }, 90_000);
});
