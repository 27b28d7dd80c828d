import { getHeapStatistics } from 'node:v8';

/** Memory in use at one moment, as `trackMemory` reads it. */
export interface MemoryReading {
  /** V8 heap in use (`used_heap_size`), in bytes. */
  readonly heapUsedBytes: number;
  /** Memory of array buffers and external strings held by JavaScript objects, in bytes. */
  readonly externalBytes: number;
}

/**
 * Reads heap and external memory in use. `v8.getHeapStatistics()` gives both for about 0.3 µs,
 * where `process.memoryUsage()` costs about 10 µs because it also reads the resident set size
 * from the kernel (measured on Node 20; see the package README).
 */
export function readMemory(): MemoryReading {
  const statistics = getHeapStatistics();
  return { heapUsedBytes: statistics.used_heap_size, externalBytes: statistics.external_memory };
}

/**
 * Bytes by which memory in use grew across a call (negative when it shrank). Approximate by
 * nature, see the README: a garbage collection during the call hides what it freed, other work
 * running meanwhile (other async calls, V8's own background work) counts too, and memory that
 * native code allocates without telling V8 is not seen at all.
 */
export interface MemoryDelta {
  /** Change of the V8 heap in use, in bytes. */
  readonly heapDeltaBytes: number;
  /** Change of external memory (array buffers, external strings), in bytes. */
  readonly externalDeltaBytes: number;
}

/** The change from `before` to now. */
export function memoryDeltaSince(before: MemoryReading): MemoryDelta {
  const after = readMemory();
  return {
    heapDeltaBytes: after.heapUsedBytes - before.heapUsedBytes,
    externalDeltaBytes: after.externalBytes - before.externalBytes,
  };
}
