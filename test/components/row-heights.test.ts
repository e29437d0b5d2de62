import { expect } from '@open-wc/testing';
import { RowHeights } from '../../src/components/conversation-pane/row-heights.js';

describe('RowHeights', () => {
  it('gives offsets and finds rows by offset, as heights change and rows are added at either end', () => {
    const heights = new RowHeights();
    const reference: number[] = [];
    heights.reset(5, (i) => 10 + i);
    reference.push(10, 11, 12, 13, 14);
    for (let i = 0; i < 200; i++) {
      const height = 5 + ((i * 7) % 13);
      heights.push(height);
      reference.push(height);
    }
    // A page of history above the rows there, then a page bigger than the room left.
    for (const page of [30, 400]) {
      const added = Array.from({ length: page }, (_, i) => 20 + (i % 5));
      heights.prepend(page, (i) => added[i]);
      reference.unshift(...added);
    }
    for (let i = 0; i < 80; i++) {
      const index = (i * 31) % reference.length;
      heights.set(index, 3 + (i % 9));
      reference[index] = 3 + (i % 9);
    }
    let offset = 0;
    reference.forEach((height, index) => {
      expect(heights.offsetOf(index), `offset of ${index}`).to.equal(offset);
      expect(heights.indexAt(offset), `row at ${offset}`).to.equal(index);
      expect(heights.indexAt(offset + height - 0.5)).to.equal(index);
      offset += height;
    });
    expect(heights.total).to.equal(offset);
    expect(heights.indexAt(offset * 2)).to.equal(reference.length - 1);
    expect(heights.indexAt(-10)).to.equal(0);
  });

  it('handles an empty transcript', () => {
    const heights = new RowHeights();
    expect([heights.count, heights.total, heights.indexAt(100), heights.offsetOf(3)]).to.deep.equal([0, 0, 0, 0]);
  });
});
