/**
 * Keeps the `limit` largest items seen, in O(limit) memory: a min-heap whose root is the
 * smallest kept item, replaced when a larger one arrives.
 */
export class TopHeap<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly limit: number,
    /** negative when `a` ranks below `b` */
    private readonly compare: (a: T, b: T) => number,
  ) {}

  /** Whether `item` would be kept; lets callers skip building items that would not. */
  wouldKeep(item: T): boolean {
    if (this.limit === 0) return false;
    const root = this.items[0];
    return this.items.length < this.limit || root === undefined || this.compare(item, root) > 0;
  }

  add(item: T): void {
    if (!this.wouldKeep(item)) return;
    if (this.items.length < this.limit) {
      this.items.push(item);
      this.siftUp(this.items.length - 1);
    } else {
      this.items[0] = item;
      this.siftDown(0);
    }
  }

  /** The kept items, largest first. */
  sorted(): T[] {
    return [...this.items].sort((a, b) => this.compare(b, a));
  }

  private swap(i: number, j: number): void {
    const items = this.items;
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (this.compare(this.items[child] as T, this.items[parent] as T) >= 0) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    const length = this.items.length;
    let parent = index;
    while (true) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < length && this.compare(this.items[left] as T, this.items[smallest] as T) < 0)
        smallest = left;
      if (right < length && this.compare(this.items[right] as T, this.items[smallest] as T) < 0)
        smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }
}
