import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyFlatContext, jsonStringLength } from './flat-context.js';

/** Strings rich in what JSON escapes: quotes, backslashes, control characters, lone surrogates. */
const awkwardText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', '\\', '\n', '\r', '\t', '\b', '\f', '\u000b', '\u0000', '\u001f', '\u007f'),
    fc.constantFrom('\u2028', '\u2029', 'é', '😀', '\ud800', '\udfff', '\udbff\udc00'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 30,
});

const primitive = fc.oneof(
  awkwardText,
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1e21, 1e-7, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
);

const anyValue = fc.oneof(
  { arbitrary: primitive, weight: 8 },
  { arbitrary: fc.constantFrom(undefined, [], {}, [1], { a: 1 }, () => 1), weight: 1 },
);

describe('jsonStringLength', () => {
  it('is the length of JSON.stringify(text) for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(awkwardText, (text) => {
        expect(jsonStringLength(text)).toBe(JSON.stringify(text).length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('copyFlatContext', () => {
  it('copies a flat object exactly as JSON would, with its JSON length; declines anything else', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(awkwardText, fc.constantFrom('0', '10', 'constructor', 'toString', '__proto__')),
          anyValue,
          {
            maxKeys: 6,
          },
        ),
        (context) => {
          const json = JSON.stringify(context);
          const flat = copyFlatContext(context);
          const jsonStable = Object.values(context).every(
            (value) =>
              typeof value === 'string' ||
              typeof value === 'boolean' ||
              value === null ||
              (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)),
          );
          // A "__proto__" key is left to the general path (an assignment would set the prototype).
          if (!jsonStable || Object.hasOwn(context, '__proto__')) {
            expect(flat).toBeUndefined();
            return;
          }
          expect(flat).toBeDefined();
          expect(flat!.jsonLength).toBe(json.length);
          // Same keys in the same order, same values: the JSON round trip.
          expect(JSON.stringify(flat!.copy)).toBe(json);
          expect(flat!.copy).toStrictEqual(JSON.parse(json));
          expect(flat!.copy).not.toBe(context);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('declines what a JSON round trip would change or an assignment would not copy', () => {
    const inherited = Object.create({ inheritedKey: 'x' }) as Record<string, unknown>;
    inherited.own = 'y';
    class Order {
      id = 'A-1';
    }
    const withProto = JSON.parse('{"__proto__": "x"}') as object;
    for (const context of [inherited, new Order(), withProto, { nested: { a: 1 } }, { at: new Date(0) }]) {
      expect(copyFlatContext(context)).toBeUndefined();
    }
    // A null-prototype object is as plain as a literal.
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(copyFlatContext(bare)).toEqual({ copy: { a: 1 }, jsonLength: 7 });
    expect(copyFlatContext({})).toEqual({ copy: {}, jsonLength: 2 });
  });

  it('reads each property once', () => {
    let reads = 0;
    const context = {
      get counted() {
        reads++;
        return 'value';
      },
    };
    expect(copyFlatContext(context)?.copy).toEqual({ counted: 'value' });
    expect(reads).toBe(1);
  });
});
