/**
 * Turns a dyno's PTY byte stream into whole lines, kept as bytes.
 *
 * `\r\n` (the PTY's line ending) and `\n` end a line; a line is the bytes between, so a
 * UTF-8 sequence split across chunks ends up whole in its line; a line longer than 10000
 * bytes is cut into 10000-byte pieces (Logplex), never inside a UTF-8 character; `flush()`
 * returns the partial last line when the dyno exits.
 *
 * Lines stay bytes until a consumer needs text (`lineText`): the plain printer copies them
 * to stdout as they are. Decoding every line and formatting it as a string made a log flood
 * cost ~2 MB more resident memory in garbage (bench/RESULTS.md).
 */

/** Logplex's maximum line length in bytes. */
export const MAX_LINE_BYTES = 10000;

const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder("utf-8");

/** A line's text; invalid UTF-8 becomes U+FFFD. */
export function lineText(line: Uint8Array): string {
  return decoder.decode(line);
}

export class LineSplitter {
  /** The bytes of the line not yet ended, if any (at most MAX_LINE_BYTES after a push). */
  #partial: Uint8Array | undefined;

  /** Feeds a chunk; returns the lines it completed, as views into the chunk where they can be. */
  push(chunk: Uint8Array): Uint8Array[] {
    let data = chunk;
    if (this.#partial) {
      data = new Uint8Array(this.#partial.length + chunk.length);
      data.set(this.#partial);
      data.set(chunk, this.#partial.length);
      this.#partial = undefined;
    }
    const out: Uint8Array[] = [];
    let count = 0;
    let start = 0;
    // Inlined, no call per line: hoku runs in JavaScriptCore's interpreter (scripts/build.ts).
    for (let end = data.indexOf(LF); end !== -1; end = data.indexOf(LF, start)) {
      const line = data.subarray(start, end > start && data[end - 1] === CR ? end - 1 : end);
      if (line.length <= MAX_LINE_BYTES) out[count++] = line;
      else for (const piece of splitLong(line)) out[count++] = piece;
      start = end + 1;
    }
    if (start < data.length) {
      // A partial line that already exceeds the limit is emitted in pieces now, so memory stays bounded.
      const pieces = splitLong(data.subarray(start));
      this.#partial = pieces.pop()!.slice();
      for (const piece of pieces) out[count++] = piece;
    }
    return out;
  }

  /** Returns what is left of an unterminated last line (empty array if nothing). */
  flush(): Uint8Array[] {
    const rest = this.#partial;
    this.#partial = undefined;
    if (!rest || (rest.length === 1 && rest[0] === CR)) return [];
    return splitLong(rest[rest.length - 1] === CR ? rest.subarray(0, -1) : rest);
  }
}

/** Cuts a line into pieces of at most MAX_LINE_BYTES bytes, at UTF-8 character boundaries. */
export function splitLong(line: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let rest = line;
  while (rest.length > MAX_LINE_BYTES) {
    const cut = pieceEnd(rest);
    pieces.push(rest.subarray(0, cut));
    rest = rest.subarray(cut);
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Where the first piece of a too-long line ends: at MAX_LINE_BYTES, moved back to the start
 * of the character that straddles it (UTF-8 continuation bytes are 10xxxxxx). Bytes that are
 * not UTF-8 are cut at MAX_LINE_BYTES.
 */
function pieceEnd(line: Uint8Array): number {
  let cut = MAX_LINE_BYTES;
  while (cut > MAX_LINE_BYTES - 3 && (line[cut]! & 0xc0) === 0x80) cut--;
  return (line[cut]! & 0xc0) === 0x80 ? MAX_LINE_BYTES : cut;
}
