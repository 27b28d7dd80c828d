import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');

/** The ```text block the README shows right after the example `name`: what it says the example prints. */
function documentedOutput(name: string): string {
  const start = readme.indexOf(`// example: ${name}\n`);
  expect(start).toBeGreaterThan(-1);
  const block = readme.slice(start).match(/```\n\nIt prints:\n\n```text\n([\s\S]*?)```/);
  if (block === null) throw new Error(`README example ${name} has no "It prints:" block after it`);
  return block[1]!;
}

describe('README examples', () => {
  it.each(['decorated-service', 'wrapped-function', 'using-scope', 'runtime-health'])(
    '%s runs and prints what the README says',
    (name) => {
      const run = runReadmeExample(packageDir, name, { timeoutMs: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(documentedOutput(name));
    },
    90_000,
  );
});
