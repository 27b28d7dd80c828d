import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Serial } from './serial.js';

describe('Serial', () => {
  it('runs work one piece at a time, in call order, whatever each takes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ delay: fc.integer({ min: 0, max: 3 }), fails: fc.boolean() }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (pieces) => {
          const serial = new Serial();
          const events: string[] = [];
          const results = pieces.map((piece, index) =>
            serial
              .run(async () => {
                events.push(`start ${index}`);
                if (piece.delay > 0) await sleep(piece.delay);
                events.push(`end ${index}`);
                if (piece.fails) throw new Error(`piece ${index}`);
                return index;
              })
              .then(
                (value) => ({ value }),
                (error: Error) => ({ error: error.message }),
              ),
          );
          await serial.idle();
          expect(events).toEqual(pieces.flatMap((_, index) => [`start ${index}`, `end ${index}`]));
          expect(await Promise.all(results)).toEqual(
            pieces.map((piece, index) => (piece.fails ? { error: `piece ${index}` } : { value: index })),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('starts work at once when nothing is queued, and after the queue when something is', async () => {
    const serial = new Serial();
    let started = false;
    const first = serial.run(async () => {
      started = true;
      await sleep(5);
    });
    expect(started).toBe(true);
    let second = false;
    const next = serial.run(async () => {
      second = true;
    });
    expect(second).toBe(false);
    await Promise.all([first, next]);
    expect(second).toBe(true);
    // Idle again: the next piece starts at once.
    let third = false;
    await serial.idle();
    const last = serial.run(async () => {
      third = true;
    });
    expect(third).toBe(true);
    await last;
  });
});
