import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { parseExposition } from './parse.js';

describe('parseExposition', () => {
  it('reads families, labels with escapes, timestamps and special values', () => {
    const parsed = parseExposition(
      [
        '# HELP a_total Help with \\\\ and \\n.',
        '# TYPE a_total counter',
        'a_total{x="q\\"uote",y="b\\\\s",z="n\\nl"} 1.5 1700000000000',
        '# a comment',
        'b +Inf',
        'c{} -Inf',
        'd NaN',
        '',
      ].join('\n'),
    );
    const [a, b, c, d] = parsed.families;
    expect(a).toMatchObject({ name: 'a_total', type: 'counter', help: 'Help with \\ and \n.' });
    expect(a!.samples[0]).toEqual({
      name: 'a_total',
      labels: { x: 'q"uote', y: 'b\\s', z: 'n\nl' },
      value: 1.5,
      timestamp: 1.7e12,
    });
    expect(b!.samples[0]!.value).toBe(Number.POSITIVE_INFINITY);
    expect(c!.samples[0]!.value).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(d!.samples[0]!.value)).toBe(true);
    expect(parsed.eof).toBe(false);
  });

  it('throws a ParseError naming the line for bad text', () => {
    for (const bad of [
      'a{x="unterminated} 1',
      'a{x=1} 1',
      'a 1 2 3',
      'a one',
      '1a 1',
      'a{x="\\q"} 1',
      '# EOF\na 1',
      'a{x="1",x="2"} 1',
    ]) {
      expect(() => parseExposition(bad), bad).toThrow(ParseError);
    }
    expect(() => parseExposition('ok 1\nbad value')).toThrow(/line 2/);
  });
});
