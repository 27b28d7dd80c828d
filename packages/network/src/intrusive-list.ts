/** What an item of an {@link IntrusiveList} carries: its own links. */
export interface ListNode<T> {
  listPrevious: T | undefined;
  listNext: T | undefined;
  /** True while the item is in a list. */
  listed: boolean;
}

/**
 * A doubly linked list whose links live on the items (an item is in one list at a time). For
 * sets that every request joins and leaves once: adding a fresh object to a `Set` and deleting
 * it cost about 0.2 to 0.4 µs here (the object's identity hash is made, and the table shrinks
 * once empty), a list a few field writes.
 */
export class IntrusiveList<T extends ListNode<T>> {
  first: T | undefined;
  private last: T | undefined;

  /** Appends `item` unless it is already listed. */
  add(item: T): void {
    if (item.listed) return;
    item.listed = true;
    item.listPrevious = this.last;
    item.listNext = undefined;
    if (this.last === undefined) this.first = item;
    else this.last.listNext = item;
    this.last = item;
  }

  /** Removes `item` if it is listed (it must be listed here, not in another list). */
  delete(item: T): void {
    if (!item.listed) return;
    item.listed = false;
    const { listPrevious: previous, listNext: next } = item;
    if (previous === undefined) this.first = next;
    else previous.listNext = next;
    if (next === undefined) this.last = previous;
    else next.listPrevious = previous;
    item.listPrevious = undefined;
    item.listNext = undefined;
  }

  /** Empties the list. */
  clear(): void {
    let item = this.first;
    while (item !== undefined) {
      const next = item.listNext;
      item.listed = false;
      item.listPrevious = undefined;
      item.listNext = undefined;
      item = next;
    }
    this.first = undefined;
    this.last = undefined;
  }
}
