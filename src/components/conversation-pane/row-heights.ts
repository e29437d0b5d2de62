/**
 * Heights of the transcript's rows, measured or estimated, with the offset of
 * any row and the row at any offset in O(log n) (a Fenwick tree), so a
 * transcript of 100,000 messages scrolls as lightly as one of 100.
 */
export class RowHeights {
  #heights = new Float64Array(0);
  #tree = new Float64Array(0);
  #count = 0;
  #total = 0;

  get count(): number {
    return this.#count;
  }

  /** The height of all rows together. */
  get total(): number {
    return this.#total;
  }

  /** Sets every row at once, in O(n). */
  reset(count: number, heightOf: (index: number) => number): void {
    this.#count = 0;
    this.prepend(count, heightOf);
  }

  /** Adds `count` rows before the first, in O(n); the rows there keep their heights. */
  prepend(count: number, heightOf: (index: number) => number): void {
    const kept = this.#heights.subarray(0, this.#count);
    const total = this.#count + count;
    const heights = total > this.#heights.length || !this.#count ? new Float64Array(Math.max(64, Math.ceil(total * 1.25))) : this.#heights;
    heights.set(kept, count); // copied first when it is the same buffer
    for (let i = 0; i < count; i++) heights[i] = heightOf(i);
    this.#heights = heights;
    this.#count = total;
    this.#rebuild();
  }

  /** Adds a row at the end. */
  push(height: number): void {
    if (this.#count === this.#heights.length) {
      const heights = this.#heights.slice(0, this.#count);
      this.reset(this.#count, (i) => heights[i]);
    }
    this.#heights[this.#count] = height;
    this.#add(this.#count++, height);
  }

  height(index: number): number {
    return this.#heights[index];
  }

  /** Changes a row's height; returns the difference. */
  set(index: number, height: number): number {
    const change = height - this.#heights[index];
    if (change !== 0) {
      this.#heights[index] = height;
      this.#add(index, change);
    }
    return change;
  }

  /** Where a row starts: the height of all rows before it. */
  offsetOf(index: number): number {
    let sum = 0;
    for (let k = Math.min(index, this.#count); k > 0; k -= k & -k) sum += this.#tree[k - 1];
    return sum;
  }

  /** The row that covers `offset` (the last row for offsets past the end). */
  indexAt(offset: number): number {
    if (this.#count === 0) return 0;
    const capacity = this.#tree.length;
    let position = 0;
    let remaining = offset;
    for (let step = 1 << Math.floor(Math.log2(capacity)); step > 0; step >>= 1) {
      const next = position + step;
      if (next <= capacity && this.#tree[next - 1] <= remaining) {
        position = next;
        remaining -= this.#tree[next - 1];
      }
    }
    return Math.min(position, this.#count - 1);
  }

  // The tree spans the whole capacity (unused rows weigh 0), so push() can
  // grow into it. Node k (1-based, stored at k - 1) sums rows (k - lowbit(k), k].
  #rebuild() {
    const capacity = this.#heights.length;
    this.#tree = new Float64Array(capacity);
    this.#total = 0;
    for (let k = 1; k <= capacity; k++) {
      this.#tree[k - 1] += this.#heights[k - 1];
      this.#total += this.#heights[k - 1];
      const parent = k + (k & -k);
      if (parent <= capacity) this.#tree[parent - 1] += this.#tree[k - 1];
    }
  }

  #add(index: number, change: number) {
    this.#total += change;
    for (let k = index + 1; k <= this.#tree.length; k += k & -k) this.#tree[k - 1] += change;
  }
}
