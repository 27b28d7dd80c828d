import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from '../../../../test-support/processes.js';

/** The package's captured and crafted /proc files. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');

/** Absolute path of a fixture. */
export function fixturePath(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** Text of a fixture. */
export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

/**
 * A directory laid out like /proc, that a test fills and changes file by file: the collector
 * reads it through `procPath` exactly as it reads the real /proc (same files, same reads).
 */
export interface ProcTree {
  readonly path: string;
  /** Writes `text` to `relative` (`stat`, `net/dev`) in place, creating directories. */
  write(relative: string, text: string): void;
  /** Copies a fixture to `relative`. */
  copy(relative: string, ...fixture: string[]): void;
  remove(): void;
}

/** A new, empty ProcTree in a temporary directory. */
export function createProcTree(): ProcTree {
  const directory = temporaryDirectory('fw0-system-proc');
  const write = (relative: string, text: string) => {
    const target = join(directory.path, relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  };
  return {
    path: directory.path,
    write,
    // In place (same inode), as the kernel changes a /proc file: the collector keeps its
    // descriptors open, and a file replaced by a new one would leave them on the old text.
    copy: (relative, ...fixture) => write(relative, readFixture(...fixture)),
    remove: directory.remove,
  };
}
