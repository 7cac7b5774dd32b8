/**
 * Turns a dyno's PTY byte stream into whole lines, kept as bytes and found by position.
 *
 * `\r\n` (the PTY's line ending) and `\n` end a line; a line is the bytes between, so a
 * UTF-8 sequence split across chunks ends up whole in its line; a line longer than 10000
 * bytes is cut into 10000-byte pieces (Logplex), never inside a UTF-8 character; `flush()`
 * returns the partial last line when the dyno exits.
 *
 * A batch of lines is the read they are in plus where each one is in it (`LineBatch`), not an
 * object per line: the plain printer copies the lines out of the read as they are. A view or
 * a string per line made a log flood cost more CPU and memory in garbage (bench/RESULTS.md).
 */

/** Logplex's maximum line length in bytes. */
export const MAX_LINE_BYTES = 10000;

const LF = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder("utf-8");

/** Lines, as positions in the bytes that hold them. */
export interface LineBatch {
  /** The bytes the lines are in: a PTY read, joined to the unended line before it if there was one. */
  readonly data: Uint8Array;
  /**
   * Where each line is in `data`, without its line ending, in order, flattened:
   * `[start0, end0, start1, end1, ...]`; line i is `data.subarray(spans[2i], spans[2i + 1])`.
   */
  readonly spans: readonly number[];
}

/** A line's text; invalid UTF-8 becomes U+FFFD. */
export function lineText(line: Uint8Array): string {
  return decoder.decode(line);
}

/** A batch's lines as views of its data, for consumers that take them one at a time. */
export function linesOf({ data, spans }: LineBatch): Uint8Array[] {
  const lines: Uint8Array[] = [];
  for (let i = 0; i < spans.length; i += 2) lines.push(data.subarray(spans[i], spans[i + 1]));
  return lines;
}

export class LineSplitter {
  /** The bytes of the line not yet ended, if any (at most MAX_LINE_BYTES, and a CR, after a push). */
  #partial: Uint8Array | undefined;

  /** Feeds a chunk; returns the lines it completed, if any, as positions in the chunk where they can be. */
  push(chunk: Uint8Array): LineBatch | undefined {
    let data = chunk;
    if (this.#partial) {
      data = new Uint8Array(this.#partial.length + chunk.length);
      data.set(this.#partial);
      data.set(chunk, this.#partial.length);
      this.#partial = undefined;
    }
    const spans: number[] = [];
    let count = 0;
    let start = 0;
    // Inlined, with no call and no object per line: this loop runs once per line of a log flood.
    for (let end = data.indexOf(LF); end !== -1; end = data.indexOf(LF, start)) {
      const stop = end > start && data[end - 1] === CR ? end - 1 : end;
      if (stop - start <= MAX_LINE_BYTES) {
        spans[count++] = start;
        spans[count++] = stop;
      } else {
        count = addPieces(data, start, stop, spans);
      }
      start = end + 1;
    }
    if (start < data.length) {
      // A partial line that already exceeds the limit is emitted in pieces now, so memory stays
      // bounded. A CR at the end is kept with the last piece: it may be half of a CRLF.
      const end = data[data.length - 1] === CR ? data.length - 1 : data.length;
      count = addPieces(data, start, end, spans);
      this.#partial = data.slice(spans[count - 2], data.length);
      spans.length = count -= 2;
    }
    return count > 0 ? { data, spans } : undefined;
  }

  /** Returns what is left of an unterminated last line, if anything. */
  flush(): LineBatch | undefined {
    const rest = this.#partial;
    this.#partial = undefined;
    if (!rest || (rest.length === 1 && rest[0] === CR)) return undefined;
    const spans: number[] = [];
    addPieces(rest, 0, rest[rest.length - 1] === CR ? rest.length - 1 : rest.length, spans);
    return { data: rest, spans };
  }
}

/** Cuts a line into pieces of at most MAX_LINE_BYTES bytes, at UTF-8 character boundaries. */
export function splitLong(line: Uint8Array): Uint8Array[] {
  const spans: number[] = [];
  addPieces(line, 0, line.length, spans);
  return linesOf({ data: line, spans });
}

/**
 * Appends to `spans` the pieces of the line `data[start, stop)`, each at most MAX_LINE_BYTES
 * bytes, and returns the new length of `spans`.
 */
function addPieces(data: Uint8Array, start: number, stop: number, spans: number[]): number {
  let from = start;
  while (stop - from > MAX_LINE_BYTES) {
    const cut = pieceEnd(data, from);
    spans.push(from, cut);
    from = cut;
  }
  spans.push(from, stop);
  return spans.length;
}

/**
 * Where the piece starting at `from` ends: MAX_LINE_BYTES on, moved back to the start of the
 * character that straddles it (UTF-8 continuation bytes are 10xxxxxx). Bytes that are not
 * UTF-8 are cut at MAX_LINE_BYTES.
 */
function pieceEnd(data: Uint8Array, from: number): number {
  const limit = from + MAX_LINE_BYTES;
  let cut = limit;
  while (cut > limit - 3 && (data[cut]! & 0xc0) === 0x80) cut--;
  return (data[cut]! & 0xc0) === 0x80 ? limit : cut;
}
