import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

/** One V8 heap space, in bytes. */
export interface HeapSpaceReading {
  /** The space's name without the `_space` suffix, as prom-client labels it (`new`, `old`, `code`...). */
  readonly space: string;
  readonly totalBytes: number;
  readonly usedBytes: number;
  readonly availableBytes: number;
}

/** The V8 heap as a whole, in bytes. */
export interface HeapReading {
  readonly totalBytes: number;
  readonly usedBytes: number;
  /** Array buffers and external strings. */
  readonly externalBytes: number;
  readonly spaces: readonly HeapSpaceReading[];
}

/** Reads heap totals and every heap space (no system call: V8 answers from its own counters). */
export function readHeap(): HeapReading {
  const heap = getHeapStatistics();
  const spaces = getHeapSpaceStatistics().map((space) => ({
    space: space.space_name.endsWith('_space')
      ? space.space_name.slice(0, -'_space'.length)
      : space.space_name,
    totalBytes: space.space_size,
    usedBytes: space.space_used_size,
    availableBytes: space.space_available_size,
  }));
  return {
    totalBytes: heap.total_heap_size,
    usedBytes: heap.used_heap_size,
    externalBytes: heap.external_memory,
    spaces,
  };
}
