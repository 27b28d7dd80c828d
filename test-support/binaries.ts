import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where the real components the tests run against live (Debian packages, installed by
 * `scripts/ensure-test-deps.mjs` and `.ci/run`). A missing one fails the test loudly: tests
 * are never skipped for lack of a component.
 */
export function requireBinary(name: string, debianPackage: string): string {
  const found = findBinary(name);
  if (found === undefined) {
    throw new Error(
      `${name} not found on PATH: install the Debian package ${debianPackage} (pnpm test installs it when run as root)`,
    );
  }
  return found;
}

export function findBinary(name: string): string | undefined {
  const path = `${process.env.PATH ?? ''}${delimiter}/usr/bin${delimiter}/usr/sbin${delimiter}/bin`;
  for (const directory of path.split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
