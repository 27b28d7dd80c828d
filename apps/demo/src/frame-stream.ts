import type { FrameSource } from './web-server.js';

/**
 * Keeps the last `capacity` frames (history for a page that opens) and passes each new frame
 * to every subscriber. A subscriber that throws is dropped, never the stream.
 */
export class FrameStream<Frame> implements FrameSource {
  private readonly frames: Frame[] = [];
  private readonly listeners = new Set<(frame: Frame) => void>();

  constructor(private readonly capacity = 120) {}

  /** Frames kept, oldest first. */
  history(): readonly Frame[] {
    return [...this.frames];
  }

  /** The newest frame, if any. */
  latest(): Frame | undefined {
    return this.frames.at(-1);
  }

  subscribe(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(frame: Frame): void {
    this.frames.push(frame);
    if (this.frames.length > this.capacity) this.frames.splice(0, this.frames.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(frame);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }
}
