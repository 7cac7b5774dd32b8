/** Randomness from Web Crypto (src/platform/random.ts). */
import { expect, test } from "bun:test";
import { randomHex, randomInt } from "../../src/platform/random.ts";

test("randomHex: two lowercase hex digits per byte, leading zeros kept, different each time", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const hex = randomHex(6);
    expect(hex).toMatch(/^[0-9a-f]{12}$/);
    seen.add(hex);
  }
  expect(seen.size).toBe(200);
  // Across 200 x 6 bytes, a byte below 16 (a leading zero) comes up ~75 times.
  expect([...seen].some((hex) => /^(..)*0/.test(hex))).toBe(true);
  expect(randomHex(32)).toHaveLength(64);
  expect(randomHex(0)).toBe("");
});

test("randomInt stays in [min, max)", () => {
  for (let i = 0; i < 200; i++) {
    const n = randomInt(5, 8);
    expect(n).toBeGreaterThanOrEqual(5);
    expect(n).toBeLessThan(8);
  }
});
