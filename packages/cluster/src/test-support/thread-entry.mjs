// Starts a TypeScript worker thread: Node 20 does not carry tsx's loader into worker threads,
// so the thread registers it itself, then imports the module named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
