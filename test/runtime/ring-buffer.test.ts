import { describe, expect, test } from "bun:test";
import { RingBuffer } from "../../src/runtime/ring-buffer.ts";

function filled(capacity: number, count: number): RingBuffer<number> {
  const ring = new RingBuffer<number>(capacity);
  for (let i = 0; i < count; i++) ring.push(i);
  return ring;
}

const items = <T>(ring: RingBuffer<T>): T[] => Array.from({ length: ring.length }, (_, i) => ring.at(i) as T);

describe("RingBuffer", () => {
  test("starts empty with its capacity", () => {
    const ring = new RingBuffer<string>(5);
    expect(ring.capacity).toBe(5);
    expect(ring.length).toBe(0);
    expect(ring.dropped).toBe(0);
    expect(ring.at(0)).toBeUndefined();
  });

  test.each([
    // capacity, pushed, expected items (oldest first), expected dropped
    [3, 0, [], 0],
    [3, 1, [0], 0],
    [3, 3, [0, 1, 2], 0],
    [3, 4, [1, 2, 3], 1],
    [3, 5, [2, 3, 4], 2],
    [3, 6, [3, 4, 5], 3],
    [3, 10, [7, 8, 9], 7],
    [1, 4, [3], 3],
    [5, 12, [7, 8, 9, 10, 11], 7],
  ])("capacity %i after %i pushes holds %p, dropped %i", (capacity, pushed, expected, dropped) => {
    const ring = filled(capacity, pushed);
    expect(ring.length).toBe(expected.length);
    expect(ring.length).toBeLessThanOrEqual(capacity);
    expect(items(ring)).toEqual(expected);
    expect(ring.dropped).toBe(dropped);
  });

  test("dropped + i is the absolute position of item i", () => {
    const ring = filled(4, 11);
    for (let i = 0; i < ring.length; i++) expect(ring.at(i)).toBe(ring.dropped + i);
  });

  test.each([
    ["negative", -1],
    ["far negative", -100],
    ["== length", 3],
    ["> length", 4],
    ["> capacity", 50],
  ])("at(%s) is undefined", (_name, i) => {
    const ring = filled(5, 3);
    expect(ring.at(i)).toBeUndefined();
  });

  test("at() bounds after wrapping around", () => {
    const ring = filled(3, 7);
    expect(ring.at(0)).toBe(4);
    expect(ring.at(2)).toBe(6);
    expect(ring.at(3)).toBeUndefined();
    expect(ring.at(-1)).toBeUndefined();
  });

  test("a capacity below 1 still holds one item", () => {
    const ring = filled(0, 3);
    expect(ring.length).toBe(1);
    expect(ring.at(0)).toBe(2);
  });

  test("clear empties the ring and it fills again from scratch", () => {
    const ring = filled(3, 5);
    ring.clear();
    expect(ring.length).toBe(0);
    expect(ring.at(0)).toBeUndefined();
    ring.push(100);
    ring.push(101);
    expect(items(ring)).toEqual([100, 101]);
    ring.push(102);
    ring.push(103);
    expect(items(ring)).toEqual([101, 102, 103]);
    expect(ring.length).toBe(3);
  });

  test("clear keeps the count of items dropped so far (documented as 'ever dropped')", () => {
    const ring = filled(2, 5);
    expect(ring.dropped).toBe(3);
    ring.clear();
    expect(ring.dropped).toBe(3);
  });

  test("holds objects by reference", () => {
    const ring = new RingBuffer<{ n: number }>(2);
    const a = { n: 1 };
    ring.push(a);
    expect(ring.at(0)).toBe(a);
  });
});
