import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../test-support/readme.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const rootReadme = join(root, 'README.md');
const readme = readFileSync(rootReadme, 'utf8');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  packageManager: string;
  scripts: Record<string, string>;
};

describe('root README', () => {
  it('the 30-second example composes the four collectors into one /metrics', () => {
    // Run from the demo, which depends on every package (as an app of a user's would).
    const run = runReadmeExample(demoDir, 'thirty-seconds', { readme: rootReadme });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual([
      'node_cpu_seconds_total{cpu="0",mode="idle"} <value>',
      expect.stringMatching(
        /^probe_success\{kind="http",target="http:\/\/127\.0\.0\.1:\d+\/metrics"\} <value>$/,
      ),
      'checkout_calls_total{outcome="success"} <value>',
      'orders_total{country="fr"} <value>',
      'revenue_eur_sum{country="fr"} <value>',
    ]);
  });

  it("installs the pnpm that package.json's packageManager pins", () => {
    const pinned = /^pnpm@(\d+\.\d+\.\d+)$/.exec(rootManifest.packageManager)?.[1];
    expect(pinned).toBeDefined();
    const mentioned = [...readme.matchAll(/pnpm@([^\s`]+)/g)].map((match) => match[1]);
    expect(mentioned.length).toBeGreaterThanOrEqual(1);
    expect(new Set(mentioned)).toEqual(new Set([pinned]));
    // The first command installs it, then the workspace, then starts the demo.
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(firstBlock).toContain(`npm install -g pnpm@${pinned} && pnpm install && pnpm demo`);
  });

  it('lists every published package in its package table, linked to its folder', () => {
    const packages = readdirSync(join(root, 'packages')).flatMap((directory) => {
      const path = join(root, 'packages', directory, 'package.json');
      if (!existsSync(path)) return [];
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name: string; private?: boolean };
      return manifest.private ? [] : [{ name: manifest.name, directory }];
    });
    expect(packages.map((item) => item.name)).toEqual(
      expect.arrayContaining(['@fw0/metrics-push', '@fw0/metrics-cluster']),
    );
    for (const { name, directory } of packages)
      expect(readme, name).toMatch(
        new RegExp(`^\\| \\[\`${name}\`\\]\\(packages/${directory}\\) \\| .+ \\| .+ \\|$`, 'm'),
      );
  });

  it('names only commands and files that exist', () => {
    // `pnpm <word>` is pnpm's own install or exec, or one of the root package.json's scripts.
    const commands = [...readme.matchAll(/`pnpm ([a-z:]+)[^`]*`/g)].map((match) => match[1]!);
    expect(commands).toEqual(
      expect.arrayContaining(['demo', 'test', 'bench', 'load', 'soak', 'new:collector']),
    );
    for (const command of commands)
      if (command !== 'install' && command !== 'exec')
        expect(Object.keys(rootManifest.scripts), `pnpm ${command}`).toContain(command);
    for (const [, target] of readme.matchAll(/\]\(([^)#]+)\)/g))
      expect(existsSync(join(root, target!)), target).toBe(true);
    expect(readme).toContain('(docs/collectors.md)');
  });
});
