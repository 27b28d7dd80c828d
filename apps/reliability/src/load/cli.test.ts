import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../support/cli-flags.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function run(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('pnpm load command line', () => {
  it('--help lists every flag and exits 0 without starting anything', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    for (const flag of ['--seconds <n>', '--connections <n>', '--extra-series <n>', '--json', '--no-build'])
      expect(result.stdout).toContain(flag);
    expect(result.stdout).toContain('default 30');
  });

  it('refuses bad flags with exit code 2 and says which', () => {
    const zero = run(['--seconds', '0']);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--seconds must be an integer from 1 to 3600 (got "0")');
    const unknown = run(['--duration', '5']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--duration'");
    const positional = run(['30']);
    expect(positional.status).toBe(2);
  });

  it('parses integers in range, switches, defaults, and a leading -- from pnpm', () => {
    const spec = {
      seconds: { kind: 'integer', min: 1, max: 60, default: 30, help: 's' },
      every: { kind: 'integer', min: 1, max: 9, help: 'e' },
      json: { kind: 'boolean', help: 'j' },
    } as const;
    expect(parseFlags([], spec)).toEqual({ help: false, seconds: 30, every: undefined, json: false });
    expect(parseFlags(['--', '--seconds', '8', '--json', '--every=3'], spec)).toEqual({
      help: false,
      seconds: 8,
      every: 3,
      json: true,
    });
    for (const bad of ['61', '1.5', 'ten', '', '0x10', '1e1', ' 8']) {
      expect(() => parseFlags([`--seconds=${bad}`], spec), bad).toThrow(UsageError);
    }
    expect(() => parseFlags(['--json=yes'], spec)).toThrow(UsageError);
  });
});
