/** Randomness from the Web Crypto global (loading node:crypto costs hoku's startup ~5 ms and several MB). */

/**
 * `bytes` random bytes as hex. A plain loop: this is on the start path of `hoku start`, and
 * the first call of the JavaScript builtin Array.from (compiled from its source on first use)
 * cost ~0.3 ms of it.
 */
export function randomHex(bytes: number): string {
  let hex = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(bytes))) hex += (byte < 16 ? "0" : "") + byte.toString(16);
  return hex;
}

/** An integer in [min, max). */
export function randomInt(min: number, max: number): number {
  return min + (crypto.getRandomValues(new Uint32Array(1))[0]! % (max - min));
}
