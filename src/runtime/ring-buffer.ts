/** A fixed-capacity ring: pushing past capacity drops the oldest item. Memory stays bounded. */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #start = 0;
  #length = 0;
  /** How many items were ever dropped, so positions stay stable for a reader. */
  dropped = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    const capacity = this.#items.length;
    if (this.#length < capacity) {
      this.#items[(this.#start + this.#length) % capacity] = item;
      this.#length++;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % capacity;
      this.dropped++;
    }
  }

  /** The i-th oldest item still held (0 = oldest). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.#length) return undefined;
    return this.#items[(this.#start + i) % this.#items.length];
  }

  /** Every item held, oldest first. */
  toArray(): T[] {
    return Array.from({ length: this.#length }, (_, i) => this.at(i)!);
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#length = 0;
  }
}
