import type { EncodedBatch } from './series-encoder.js';

/** A run of consecutive encoded samples of one batch: entries `[first, end)`. */
export interface QueuedRun {
  readonly batch: EncodedBatch;
  first: number;
  readonly end: number;
}

/** Samples taken from the queue for one request. */
export interface QueueChunk {
  readonly runs: readonly QueuedRun[];
  /** Number of samples in the chunk. */
  readonly samples: number;
  /** Encoded size of the chunk, in bytes. */
  readonly bytes: number;
}

/**
 * Encoded samples waiting to be sent, oldest first, bounded by a number of samples. Past the
 * bound the oldest samples go first and the caller is told how many, so nothing is lost silently.
 * Samples taken for a request leave the queue; a retryable failure puts them back at the front.
 */
export class SampleQueue {
  private runs: QueuedRun[] = [];
  private head = 0;
  private count = 0;
  private byteCount = 0;

  /** `maxSamples`: the bound (samples waiting, not counting a request in flight). */
  constructor(readonly maxSamples: number) {}

  /** Samples waiting. */
  get size(): number {
    return this.count;
  }

  /** Encoded bytes waiting (labels included: roughly the memory the queue holds). */
  get bytes(): number {
    return this.byteCount;
  }

  /** Appends a batch (newest); returns how many of the oldest samples were dropped to stay within the bound. */
  push(batch: EncodedBatch): number {
    if (batch.samples === 0) return 0;
    this.runs.push({ batch, first: 0, end: batch.samples });
    this.count += batch.samples;
    this.byteCount += batch.bytes.length;
    return this.trim();
  }

  /** Puts a chunk back at the front (a request to retry); returns how many of the oldest were dropped. */
  putBack(chunk: QueueChunk): number {
    if (chunk.samples === 0) return 0;
    this.runs = [...chunk.runs.map((run) => ({ ...run })), ...this.runs.slice(this.head)];
    this.head = 0;
    this.count += chunk.samples;
    this.byteCount += chunk.bytes;
    return this.trim();
  }

  /** Takes up to `maxSamples` of the oldest samples out of the queue. */
  take(maxSamples: number): QueueChunk {
    const runs: QueuedRun[] = [];
    let samples = 0;
    let bytes = 0;
    while (samples < maxSamples && this.head < this.runs.length) {
      const run = this.runs[this.head]!;
      const wanted = Math.min(maxSamples - samples, run.end - run.first);
      const piece: QueuedRun = { batch: run.batch, first: run.first, end: run.first + wanted };
      runs.push(piece);
      samples += wanted;
      bytes += runBytes(piece);
      run.first += wanted;
      if (run.first === run.end) this.head++;
    }
    this.count -= samples;
    this.byteCount -= bytes;
    this.compact();
    return { runs, samples, bytes };
  }

  /** Drops every waiting sample; returns how many there were. */
  clear(): number {
    const dropped = this.count;
    this.runs = [];
    this.head = 0;
    this.count = 0;
    this.byteCount = 0;
    return dropped;
  }

  /** Drops the oldest samples past the bound. */
  private trim(): number {
    let excess = this.count - this.maxSamples;
    if (excess <= 0) return 0;
    const dropped = excess;
    while (excess > 0) {
      const run = this.runs[this.head]!;
      const gone = Math.min(excess, run.end - run.first);
      const before = runBytes(run);
      run.first += gone;
      this.byteCount -= before - runBytes(run);
      excess -= gone;
      if (run.first === run.end) this.head++;
    }
    this.count -= dropped;
    this.compact();
    return dropped;
  }

  private compact(): void {
    if (this.head > 0 && (this.head >= 64 || this.head === this.runs.length)) {
      this.runs = this.runs.slice(this.head);
      this.head = 0;
    }
  }
}

/** Encoded size of a run, in bytes. */
export function runBytes(run: QueuedRun): number {
  return run.batch.offsets[run.end]! - run.batch.offsets[run.first]!;
}

/**
 * The bytes of a chunk's runs, concatenated after `prefix` (e.g. metadata). A chunk of one run
 * without prefix is a view of its batch: nothing is copied.
 */
export function chunkBody(chunk: QueueChunk, prefix?: Uint8Array): Uint8Array {
  if (prefix === undefined && chunk.runs.length === 1) {
    const run = chunk.runs[0]!;
    return run.batch.bytes.subarray(run.batch.offsets[run.first]!, run.batch.offsets[run.end]!);
  }
  const body = new Uint8Array(chunk.bytes + (prefix?.length ?? 0));
  let position = 0;
  if (prefix !== undefined) {
    body.set(prefix, 0);
    position = prefix.length;
  }
  for (const run of chunk.runs) {
    const { bytes, offsets } = run.batch;
    const piece = bytes.subarray(offsets[run.first]!, offsets[run.end]!);
    body.set(piece, position);
    position += piece.length;
  }
  return body;
}
