import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { temporaryDirectory } from '../../../../test-support/processes.js';

/** The two TypeScript decorator modes: TC39 (TypeScript 5 default) and `experimentalDecorators`. */
export type DecoratorMode = 'standard' | 'legacy';

/** The fixture module's shape (the compiled JavaScript exports what the source declares). */
export type FixtureModule = typeof import('../__fixtures__/decorated-service.js');

/** A fixture compiled by `tsc` under one decorator mode. */
export interface CompiledFixture {
  readonly mode: DecoratorMode;
  readonly module: FixtureModule;
  /** Deletes the compiled output. */
  remove(): void;
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');

/**
 * Compiles `src/__fixtures__/decorated-service.ts` with the real `tsc` under the tsconfig of
 * `mode` (target ES2022: decorators and `using` are downlevelled for Node 20) into a temporary
 * directory, type errors included, and imports the result. Bounded: 120 s.
 */
export async function compileFixture(mode: DecoratorMode): Promise<CompiledFixture> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const directory = temporaryDirectory(`fw0-app-${mode}`);
  writeFileSync(join(directory.path, 'package.json'), '{ "type": "module" }\n');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', join(fixtures, `tsconfig.${mode}.json`), '--outDir', directory.path],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.error !== undefined || result.status !== 0) {
    directory.remove();
    throw new Error(`tsc (${mode} decorators) failed: ${result.error ?? ''}${result.stdout}${result.stderr}`);
  }
  const file = join(directory.path, '__fixtures__', 'decorated-service.js');
  const module = (await import(pathToFileURL(file).href)) as FixtureModule;
  return { mode, module, remove: directory.remove };
}
