import { close, open, read } from 'node:fs';

const MAX_BYTES = 16 * 1024 * 1024;

function openFile(path: string): Promise<number> {
  return new Promise((resolve, reject) =>
    open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))),
  );
}

function readAt(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, 0, buffer.length, 0, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
  );
}

function closeFile(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()));
}

/**
 * A /proc file read again and again through one descriptor: each read is a single positioned
 * read at offset 0 (the kernel regenerates the text on every read from offset 0) into a buffer
 * kept between reads. Compared with `readFile` (open, fstat, read, close: four thread-pool round
 * trips and a fresh buffer each time) this costs a quarter of the CPU per read, which matters at
 * one collection a second.
 *
 * The descriptor opens on first read and stays open until {@link close}; a failed read closes
 * it, so the next read starts afresh. Reads of one file must not overlap (callers serialise).
 */
export class ProcFile {
  private fd: number | undefined;
  private buffer: Buffer;

  constructor(
    /** Absolute path of the file. */
    readonly path: string,
    /** First buffer size in bytes; doubled whenever a read fills it. */
    initialBytes = 8192,
  ) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** The whole current text of the file (UTF-8). Rejects with the system error on failure. */
  async read(): Promise<string> {
    try {
      this.fd ??= await openFile(this.path);
      for (;;) {
        const bytesRead = await readAt(this.fd, this.buffer);
        if (bytesRead < this.buffer.length) return this.buffer.toString('utf8', 0, bytesRead);
        if (this.buffer.length >= MAX_BYTES)
          throw new RangeError(`${this.path} is larger than ${MAX_BYTES} bytes`);
        // Filled: the text may go on; read it all again with room to spare.
        this.buffer = Buffer.allocUnsafe(this.buffer.length * 2);
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Reads at most `bytes` from the start of the file (for large files of which only the head matters). */
  async readHead(bytes: number): Promise<string> {
    const fd = await openFile(this.path);
    try {
      const buffer = Buffer.allocUnsafe(bytes);
      const bytesRead = await readAt(fd, buffer);
      return buffer.toString('utf8', 0, bytesRead);
    } finally {
      await closeFile(fd);
    }
  }

  /** Closes the descriptor, if open. The next read opens it again. */
  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeFile(fd);
  }

  /** True while a descriptor is held. */
  get isOpen(): boolean {
    return this.fd !== undefined;
  }
}
