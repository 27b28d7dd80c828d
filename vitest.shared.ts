import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration every package shares: tests beside the code, a JSON report
 * per package in `.reports/` (read by `scripts/test-summary.mjs` for the CI summary line).
 */
export function packageTestConfig(options: { testTimeout?: number; setupFiles?: string[] } = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      setupFiles: options.setupFiles ?? [],
      // CI must never silently skip: `.only` fails the run instead of narrowing it.
      allowOnly: false,
    },
  });
}
