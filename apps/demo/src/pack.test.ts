import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const published = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((directory) => existsSync(join(directory, 'package.json')))
  .map((directory) => ({
    directory,
    manifest: JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
    },
  }))
  .filter(({ manifest }) => !manifest.private);

/** Every dependency field npm reads at install time (and devDependencies, shown to users). */
const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
] as const;

/**
 * `field: name@range` of every `workspace:` range left in a manifest. pnpm pack rewrites them to
 * versions; one left over breaks `npm install` of the tarball ("Unsupported URL Type").
 */
function workspaceRanges(manifest: Partial<Record<string, unknown>>): string[] {
  const found: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const ranges = (manifest[field] ?? {}) as Record<string, string>;
    for (const [name, range] of Object.entries(ranges))
      if (range.startsWith('workspace:')) found.push(`${field}: ${name}@${range}`);
  }
  return found;
}

/** `.js.map` files of a tarball that do not carry the sources they map to (dist ships no src/). */
function mapsWithoutSources(tarball: string, files: readonly string[]): string[] {
  return files
    .filter((file) => file.endsWith('.js.map'))
    .filter((file) => {
      const map = JSON.parse(execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' })) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      return (
        map.sourcesContent?.length !== map.sources.length ||
        map.sourcesContent.some((content) => typeof content !== 'string')
      );
    });
}

const work = mkdtempSync(join(tmpdir(), 'fw0-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('published packages, packed and installed outside the workspace', () => {
  const tarballs: string[] = [];

  it('pack with built files only (no tests, no sources)', () => {
    for (const { directory, manifest } of published) {
      const output = execFileSync('pnpm', ['pack', '--pack-destination', work], {
        cwd: directory,
        encoding: 'utf8',
      });
      const tarball = output.trim().split('\n').pop()!.trim();
      tarballs.push(tarball);
      const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(files, manifest.name).toContain('package/dist/index.js');
      expect(files, manifest.name).toContain('package/dist/index.d.ts');
      expect(
        files.filter((file) => /\.test\.|\/src\/|__fixtures__|test-support/.test(file)),
        manifest.name,
      ).toEqual([]);
      const packed = JSON.parse(
        execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
      ) as Record<string, unknown>;
      expect(workspaceRanges(packed), manifest.name).toEqual([]);
      // Source maps point to ../src, which is not shipped: they must carry their sources.
      expect(
        files.some((file) => file.endsWith('.js.map')),
        manifest.name,
      ).toBe(true);
      expect(mapsWithoutSources(tarball, files), manifest.name).toEqual([]);
      // Declaration maps cannot carry their sources: they would point at files nobody has.
      expect(
        files.filter((file) => file.endsWith('.d.ts.map')),
        manifest.name,
      ).toEqual([]);
    }
    expect(tarballs.length).toBe(published.length);
  });

  it('the workspace-range check sees every dependency field (control)', () => {
    expect(
      workspaceRanges({
        dependencies: { undici: '^7.0.0' },
        peerDependencies: { '@fw0/metrics-core': 'workspace:^' },
        devDependencies: { '@fw0/metrics-system': 'workspace:*' },
        optionalDependencies: { '@fw0/metrics-app': 'workspace:~' },
      }),
    ).toEqual([
      'peerDependencies: @fw0/metrics-core@workspace:^',
      'optionalDependencies: @fw0/metrics-app@workspace:~',
      'devDependencies: @fw0/metrics-system@workspace:*',
    ]);
  });

  it('install with npm into a plain Node project, import and run', () => {
    const project = join(work, 'app');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'plain-app', private: true, type: 'module' }),
    );
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs],
      {
        cwd: project,
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    expect(install.status, install.stderr).toBe(0);
    const script = `
      const names = ${JSON.stringify(published.map(({ manifest }) => manifest.name))};
      for (const name of names) {
        const module = await import(name);
        if (Object.keys(module).length === 0) throw new Error(name + ' exports nothing');
      }
      const { MetricsRegistry, serializePrometheus } = await import('@fw0/metrics-core');
      const registry = new MetricsRegistry();
      registry.counter({ name: 'packed_total', help: 'From a packed install.' }).add(3);
      process.stdout.write(serializePrometheus(registry.snapshot()));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('packed_total 3');
  }, 240_000);

  it('types resolve for a TypeScript user (exports map, types first)', () => {
    const project = join(work, 'app');
    const imports = published
      .map(
        ({ manifest }, i) =>
          `import * as p${i} from '${manifest.name}';\nconsole.log(Object.keys(p${i}).length);`,
      )
      .join('\n');
    writeFileSync(
      join(project, 'check.ts'),
      `${imports}\nimport { MetricsRegistry } from '@fw0/metrics-core';\nconst count: number | undefined = new MetricsRegistry().counter({ name: 'x_total' }).get();\nconsole.log(count);\n`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 180_000);
});
