/** Randomness from the Web Crypto global (loading node:crypto costs hoku's startup ~5 ms and several MB). */

export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** An integer in [min, max). */
export function randomInt(min: number, max: number): number {
  return min + (crypto.getRandomValues(new Uint32Array(1))[0]! % (max - min));
}
