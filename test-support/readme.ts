import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Source entry of every workspace package, by name (examples import them as users do). */
function workspaceEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, group));
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        const manifest = JSON.parse(readFileSync(join(root, group, name, 'package.json'), 'utf8')) as {
          name: string;
        };
        entries.set(manifest.name, join(root, group, name, 'src', 'index.ts'));
      } catch {
        // not a package
      }
    }
  }
  return entries;
}

/**
 * The code of the README example named `name`: a fenced ```ts block whose first line is
 * `// example: <name>`. Throws when there is none, so a renamed example fails its test.
 */
export function readmeExample(readmePath: string, name: string): string {
  const text = readFileSync(readmePath, 'utf8');
  const blocks = [...text.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const block = blocks.find((code) => code.startsWith(`// example: ${name}\n`));
  if (block === undefined)
    throw new Error(`${readmePath} has no \`\`\`ts block starting with "// example: ${name}"`);
  return block;
}

/** What running an example printed. */
export interface ExampleRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/**
 * Runs a README example as a user would (`node` with tsx) from `packageDir`: the package under
 * test is imported from its sources (its name is rewritten to `src/index.ts`), every other
 * `@fw0/*` package resolves as a user's would, through node_modules to its built `dist/` (so
 * one copy of core serves the example and the package alike). `readme` defaults to
 * `packageDir/README.md`. Bounded by `timeoutMs` (default 60 s).
 */
export function runReadmeExample(
  packageDir: string,
  name: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; readme?: string } = {},
): ExampleRun {
  let code = readmeExample(options.readme ?? join(packageDir, 'README.md'), name);
  const own = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string };
  const entry = workspaceEntries().get(own.name);
  if (entry !== undefined) code = code.replaceAll(`from '${own.name}'`, `from ${JSON.stringify(entry)}`);
  const directory = join(packageDir, '.reports');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `readme-${name}.ts`);
  writeFileSync(file, code);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, ...options.env },
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}
