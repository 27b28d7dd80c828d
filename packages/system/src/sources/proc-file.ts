import { close, open, read } from 'node:fs';

const MAX_BYTES = 16 * 1024 * 1024;

/**
 * How the bytes of a file become text. `latin1` for files the kernel writes in ASCII only
 * (numbers and kernel names: stat, meminfo, diskstats): one byte per character, copied as they
 * are, cheaper than UTF-8 decoding. `utf8` for files holding names a user chose (interface
 * names, mount points), which may hold any UTF-8.
 */
export type ProcEncoding = 'latin1' | 'utf8';

function closeFile(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()));
}

/**
 * A /proc file read again and again through one descriptor: each read is a single positioned
 * read at offset 0 (the kernel regenerates the text on every read from offset 0) into a buffer
 * kept between reads. Compared with `readFile` (open, fstat, read, close: four thread-pool round
 * trips and a fresh buffer each time) this costs a quarter of the CPU per read, which matters at
 * one collection a second. A read is one promise around libuv's callbacks, nothing more.
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
    /** How the bytes are decoded (default `utf8`). */
    private readonly encoding: ProcEncoding = 'utf8',
  ) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** The whole current text of the file. Rejects with the system error on failure. */
  read(): Promise<string> {
    return new Promise(this.start);
  }

  // The steps of a read, as callbacks made once: a read creates its promise and nothing else
  // (reads of one file never overlap, so the one pending settle pair is kept on the instance).
  private resolveRead: ((text: string) => void) | undefined;
  private rejectRead: ((error: unknown) => void) | undefined;

  private readonly start = (resolve: (text: string) => void, reject: (error: unknown) => void): void => {
    this.resolveRead = resolve;
    this.rejectRead = reject;
    if (this.fd === undefined) open(this.path, 'r', this.opened);
    else read(this.fd, this.buffer, 0, this.buffer.length, 0, this.readDone);
  };

  private readonly opened = (error: NodeJS.ErrnoException | null, fd: number): void => {
    if (error) {
      this.fail(error);
      return;
    }
    this.fd = fd;
    read(fd, this.buffer, 0, this.buffer.length, 0, this.readDone);
  };

  private readonly readDone = (error: NodeJS.ErrnoException | null, bytesRead: number): void => {
    const fd = this.fd;
    if (error || fd === undefined) {
      this.fail(error ?? new Error(`${this.path} was closed during a read`));
      return;
    }
    if (bytesRead < this.buffer.length) {
      const resolve = this.resolveRead;
      this.resolveRead = this.rejectRead = undefined;
      resolve?.(this.buffer.toString(this.encoding, 0, bytesRead));
      return;
    }
    if (this.buffer.length >= MAX_BYTES) {
      this.fail(new RangeError(`${this.path} is larger than ${MAX_BYTES} bytes`));
      return;
    }
    // Filled: the text may go on; read it all again with room to spare.
    this.buffer = Buffer.allocUnsafe(this.buffer.length * 2);
    read(fd, this.buffer, 0, this.buffer.length, 0, this.readDone);
  };

  /** A failed read closes the descriptor (the next read opens it afresh) and rejects. */
  private fail(error: unknown): void {
    const reject = this.rejectRead;
    this.resolveRead = this.rejectRead = undefined;
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) reject?.(error);
    else close(fd, () => reject?.(error));
  }

  /** Reads at most `bytes` from the start of the file (for large files of which only the head matters). */
  readHead(bytes: number): Promise<string> {
    return new Promise((resolve, reject) =>
      open(this.path, 'r', (openError, fd) => {
        if (openError) return reject(openError);
        const buffer = Buffer.allocUnsafe(bytes);
        read(fd, buffer, 0, bytes, 0, (error, bytesRead) =>
          close(fd, () => (error ? reject(error) : resolve(buffer.toString(this.encoding, 0, bytesRead)))),
        );
      }),
    );
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
