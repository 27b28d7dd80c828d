#!/usr/bin/env node
// `pnpm new:collector <name> [--no-demo]`: creates packages/<name> (@fw0/metrics-<name>), a
// collector package wired into the workspace, build, tests, bench and changesets, with a
// skeleton collector, its test, a bench and a README whose example is tested. Unless
// --no-demo, it adds the package to the demo, which loads every dependency that declares
// `"fw0": { "collector": "<factory>" }` in its package.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2).filter((arg) => arg !== '--');
const name = args.find((arg) => !arg.startsWith('--'));
const addToDemo = !args.includes('--no-demo');

function fail(message) {
  console.error(`new:collector: ${message}`);
  process.exit(2);
}

if (name === undefined)
  fail('usage: pnpm new:collector <name> [--no-demo]   (name: kebab-case, e.g. queue-depth)');
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name))
  fail(`invalid name "${name}": use kebab-case letters and digits, e.g. queue-depth`);
const directory = join(root, 'packages', name);
if (existsSync(directory)) fail(`packages/${name} already exists`);

const words = name.split('-');
const pascal = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
const snake = words.join('_');
const packageName = `@fw0/metrics-${name}`;
const factory = `get${pascal}Collector`;

const files = {
  'package.json': `${JSON.stringify(
    {
      name: packageName,
      version: '0.0.0',
      description: `${pascal} metrics for fw0 metrics.`,
      license: 'MIT',
      type: 'module',
      sideEffects: false,
      engines: { node: '>=20.18' },
      exports: {
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        './package.json': './package.json',
      },
      main: './dist/index.js',
      types: './dist/index.d.ts',
      files: ['dist', '!dist/**/*.test.*', 'README.md', 'CHANGELOG.md'],
      keywords: ['metrics', 'prometheus', 'fw0', name],
      fw0: { collector: factory },
      scripts: {
        build: 'rm -rf dist && tsc -p tsconfig.build.json',
        typecheck: 'tsc -p tsconfig.json --noEmit',
        lint: 'biome check .',
        test: 'vitest run',
        bench: 'node --expose-gc --import tsx bench/index.ts',
      },
      // A range over every 0.x of core: a minor core release then needs no major release here.
      peerDependencies: { '@fw0/metrics-core': 'workspace:>=0.1.0 <1.0.0' },
      // tsx, vitest, TypeScript and Biome come from the workspace root: the new package adds
      // nothing to resolve from the registry, so its install works offline.
      devDependencies: { '@fw0/metrics-core': 'workspace:>=0.1.0 <1.0.0' },
    },
    null,
    2,
  )}\n`,
  'tsconfig.json': readFileSync(join(root, 'packages', 'core', 'tsconfig.json'), 'utf8'),
  'tsconfig.build.json': readFileSync(join(root, 'packages', 'core', 'tsconfig.build.json'), 'utf8'),
  'vitest.config.ts': readFileSync(join(root, 'packages', 'core', 'vitest.config.ts'), 'utf8'),
  'src/names.ts': `/** Every metric name this package exposes. */
export const ${pascal}MetricName = {
  /** Readings taken, counter. */
  READINGS: '${snake}_readings_total',
  /** The last value read, gauge (unit: whatever your reader returns; say it here). */
  VALUE: '${snake}_value',
} as const;
`,
  [`src/${name}-collector.ts`]: `import { BaseCollector, type CollectorOptions, MetricType, MetricUnit, PeriodicTask, type PerformanceMetric } from '@fw0/metrics-core';
import { ${pascal}MetricName } from './names.js';

/** Options of the ${name} collector. */
export interface ${pascal}CollectorOptions extends CollectorOptions {
  /** Time between background readings, in milliseconds (default 1,000). */
  readonly intervalMs?: number;
  /** Takes one reading (default: the process uptime in seconds). Replace with what you measure. */
  readonly read?: () => number | Promise<number>;
}

/**
 * ${pascal} collector: reads a value in the background, keeps a counter of readings and a
 * gauge of the last value, and records each reading as a sample.
 */
export class ${pascal}Collector extends BaseCollector {
  private readonly readings = this.registry.counter({ name: ${pascal}MetricName.READINGS, help: 'Readings taken by the ${name} collector.' });
  private readonly value = this.registry.gauge({ name: ${pascal}MetricName.VALUE, help: 'The last value read by the ${name} collector.' });
  private readonly read: () => number | Promise<number>;
  private readonly task: PeriodicTask;

  constructor(options: ${pascal}CollectorOptions = {}) {
    super('${name}', options);
    this.read = options.read ?? (() => process.uptime());
    this.task = new PeriodicTask({
      name: '${name}',
      intervalMs: options.intervalMs ?? 1000,
      registry: this.registry,
      logger: this.logger,
      run: () => this.collect(),
    });
  }

  /** Takes one reading now; resolves to its sample, or null if the reading failed (counted). */
  async collect(): Promise<PerformanceMetric | null> {
    let value: number;
    try {
      value = await this.read();
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(\`reader returned \${String(value)}\`);
    } catch (error) {
      this.recordFailure('read', error);
      return null;
    }
    this.readings.add();
    this.value.set(value);
    return this.recordSample({ name: ${pascal}MetricName.VALUE, value, type: MetricType.GAUGE, unit: MetricUnit.COUNT });
  }

  /** Starts background readings every \`intervalMs\` (the timer never keeps the process alive). */
  start(): void {
    this.task.start();
  }

  /** Stops background readings, waiting for the one in flight. */
  stop(): Promise<void> {
    return this.task.stop();
  }
}

/** Creates a ${name} collector (the factory the demo and users call). */
export function ${factory}(options: ${pascal}CollectorOptions = {}): ${pascal}Collector {
  return new ${pascal}Collector(options);
}
`,
  'src/index.ts': `export { ${factory}, ${pascal}Collector, type ${pascal}CollectorOptions } from './${name}-collector.js';
export { ${pascal}MetricName } from './names.js';
`,
  [`src/${name}-collector.test.ts`]: `import { MetricsRegistry, serializePrometheus } from '@fw0/metrics-core';
import { describe, expect, it } from 'vitest';
import { ${factory} } from './${name}-collector.js';

describe('${pascal}Collector', () => {
  it('records a reading into the registry and the sample buffer', async () => {
    const registry = new MetricsRegistry();
    const collector = ${factory}({ registry, read: () => 42 });
    const sample = await collector.collect();
    expect(sample).toMatchObject({ name: '${snake}_value', value: 42 });
    expect(collector.getCollectedMetrics()).toHaveLength(1);
    const text = serializePrometheus(await registry.collect());
    expect(text).toContain('${snake}_value 42');
    expect(text).toContain('${snake}_readings_total 1');
  });

  it('counts a failed reading instead of throwing', async () => {
    const registry = new MetricsRegistry();
    const collector = ${factory}({ registry, read: () => { throw new Error('sensor gone'); } });
    expect(await collector.collect()).toBeNull();
    expect(registry.self.collectorErrors.get({ collector: '${name}', operation: 'read' })).toBe(1);
  });

  it('reads in the background until stopped', async () => {
    let reads = 0;
    const collector = ${factory}({ intervalMs: 20, read: () => ++reads });
    collector.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await collector.stop();
    const after = reads;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(after).toBeGreaterThanOrEqual(2);
    expect(reads).toBe(after);
  });
});
`,
  'src/readme.test.ts': `import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

it('the README example prints the reading and the exposed metric', () => {
  const run = runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), 'usage');
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain('${snake}_value 7');
});
`,
  'bench/index.ts': `import { MetricsRegistry } from '@fw0/metrics-core';
import { nsPerOp, printComparison, printMachine } from '../../../bench-support/harness.js';
import { ${factory} } from '../src/index.js';

printMachine('${packageName} benchmarks');
const collector = ${factory}({ registry: new MetricsRegistry(), read: () => 1, maxSamplesPerSecond: false, bufferSize: 1_000_000 });
const reading = await nsPerOp(async () => collector.collect());
printComparison('One reading (collect)', 'ns', [{ name: 'collect()', ours: reading, anchors: {} }]);
`,
  'README.md': `# ${packageName}

${pascal} metrics for [fw0 metrics](../../README.md). Generated by \`pnpm new:collector ${name}\`:
replace the reader with what you measure, name the metrics in \`src/names.ts\`, and say the unit
of every number.

\`\`\`sh
npm install ${packageName} @fw0/metrics-core
\`\`\`

| metric | type | meaning |
|---|---|---|
| \`${snake}_readings_total\` | counter | readings taken |
| \`${snake}_value\` | gauge | the last value read |

\`\`\`ts
// example: usage
import { MetricsRegistry, serializePrometheus } from '@fw0/metrics-core';
import { ${factory} } from '${packageName}';

const registry = new MetricsRegistry();
const collector = ${factory}({ registry, read: () => 7 });
await collector.collect();
process.stdout.write(serializePrometheus(await registry.collect()));
\`\`\`

See the collector guide in \`docs/collectors.md\` for the contract, lifecycle, error rules,
naming and publishing.
`,
};

mkdirSync(join(directory, 'src'), { recursive: true });
mkdirSync(join(directory, 'bench'), { recursive: true });
for (const [file, content] of Object.entries(files)) writeFileSync(join(directory, file), content);
writeFileSync(
  join(root, '.changeset', `${name}-initial.md`),
  `---\n'${packageName}': minor\n---\n\nFirst release of the ${name} collector.\n`,
);

if (addToDemo) {
  const demoManifestPath = join(root, 'apps', 'demo', 'package.json');
  const demo = JSON.parse(readFileSync(demoManifestPath, 'utf8'));
  demo.dependencies = Object.fromEntries(
    Object.entries({ ...demo.dependencies, [packageName]: 'workspace:^' }).sort(([a], [b]) =>
      a < b ? -1 : 1,
    ),
  );
  writeFileSync(demoManifestPath, `${JSON.stringify(demo, null, 2)}\n`);
}

// A new package changes the lockfile by definition (CI would otherwise insist on a frozen one).
const install = spawnSync(
  'pnpm',
  ['install', '--no-frozen-lockfile', ...(process.env.FW0_OFFLINE === '1' ? ['--offline'] : [])],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (install.status !== 0) fail('pnpm install failed; run it yourself to link the new package');
spawnSync('pnpm', ['exec', 'biome', 'check', '--write', `packages/${name}`], { cwd: root, stdio: 'ignore' });
console.log(`Created packages/${name} (${packageName})${addToDemo ? ', added to the demo' : ''}.
Next: pnpm --filter ${packageName} test, then edit src/${name}-collector.ts.`);
