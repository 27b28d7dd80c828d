import { describe, expect, it } from 'vitest';
import { getCustomCollector } from './get-custom-collector.js';
import { seriesKey } from './series-key.js';

describe('seriesKey', () => {
  it('is the bare name without labels, else name{labels} as exposition writes them', () => {
    expect(seriesKey('orders', {})).toBe('orders');
    expect(seriesKey('orders', { region: 'eu', tier: 'gold' })).toBe('orders{region="eu",tier="gold"}');
    expect(seriesKey('orders', { note: 'say "hi"\\\n' })).toBe('orders{note="say \\"hi\\"\\\\\\n"}');
  });

  it('keys collector values with sorted label names and escaped values', () => {
    const collector = getCustomCollector();
    collector.incrementCounter('orders', 1, { tier: 'gold', region: 'eu' });
    collector.setGauge('motd_length', 5, { text: 'line1\nline "2"' });
    expect(Object.keys(collector.getCounterValues())).toEqual(['orders{region="eu",tier="gold"}']);
    expect(Object.keys(collector.getGaugeValues())).toEqual(['motd_length{text="line1\\nline \\"2\\""}']);
  });
});
