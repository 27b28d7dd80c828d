import { describe, expect, it } from 'vitest';
import { IntrusiveList, type ListNode } from './intrusive-list.js';

class Item implements ListNode<Item> {
  listPrevious: Item | undefined;
  listNext: Item | undefined;
  listed = false;
  constructor(readonly name: string) {}
}

function names(list: IntrusiveList<Item>): string[] {
  const seen: string[] = [];
  for (let item = list.first; item !== undefined; item = item.listNext) seen.push(item.name);
  return seen;
}

describe('IntrusiveList', () => {
  it('keeps items in the order added, and removes from the front, the middle and the end', () => {
    const list = new IntrusiveList<Item>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => new Item(name)) as [Item, Item, Item, Item];
    for (const item of [a, b, c, d]) list.add(item);
    list.add(b); // already listed: stays where it is
    expect(names(list)).toEqual(['a', 'b', 'c', 'd']);
    list.delete(b);
    expect(names(list)).toEqual(['a', 'c', 'd']);
    list.delete(a);
    list.delete(d);
    expect(names(list)).toEqual(['c']);
    list.delete(d); // not listed any more: nothing happens
    list.add(a);
    expect(names(list)).toEqual(['c', 'a']);
    expect([a.listed, b.listed, c.listed, d.listed]).toEqual([true, false, true, false]);
    list.clear();
    expect(names(list)).toEqual([]);
    expect([a.listed, c.listed, a.listNext, c.listNext]).toEqual([false, false, undefined, undefined]);
    list.add(d);
    expect(names(list)).toEqual(['d']);
  });
});
