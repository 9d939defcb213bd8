/** A set that forgets its oldest entries beyond `max`: memory of recent ids without unbounded growth. */
export class BoundedSet<T> {
  private readonly items = new Set<T>();
  constructor(private readonly max: number) {}

  has(x: T): boolean {
    return this.items.has(x);
  }

  add(x: T): void {
    if (this.items.has(x)) return;
    this.items.add(x);
    if (this.items.size > this.max) {
      const oldest = this.items.values().next();
      if (!oldest.done) this.items.delete(oldest.value);
    }
  }
}
