/**
 * Turns a dyno's PTY byte stream into whole lines.
 *
 * `\r\n` (the PTY's line ending) and `\n` end a line; UTF-8 sequences split across
 * chunks are decoded whole; a line longer than 10000 bytes is cut into 10000-byte
 * pieces (Logplex), never inside a UTF-8 character; `flush()` returns the partial
 * last line when the dyno exits.
 */

/** Logplex's maximum line length in bytes. */
export const MAX_LINE_BYTES = 10000;

export class LineSplitter {
  readonly #decoder = new TextDecoder("utf-8");
  #partial = "";

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Uint8Array): string[] {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    this.#partial = lines.pop()!;
    const out: string[] = [];
    for (const line of lines) appendLine(out, line.endsWith("\r") ? line.slice(0, -1) : line);
    // A partial line that already exceeds the limit is emitted in pieces now, so memory stays bounded.
    if (this.#partial.length > MAX_LINE_BYTES) {
      const pieces = splitLong(this.#partial);
      this.#partial = pieces.pop()!;
      out.push(...pieces);
    }
    return out;
  }

  /** Returns what is left of an unterminated last line (empty array if nothing). */
  flush(): string[] {
    const rest = this.#partial + this.#decoder.decode();
    this.#partial = "";
    if (rest === "" || rest === "\r") return [];
    const out: string[] = [];
    appendLine(out, rest.endsWith("\r") ? rest.slice(0, -1) : rest);
    return out;
  }
}

function appendLine(out: string[], line: string): void {
  // Fast path: a line of at most MAX/3 UTF-16 units cannot exceed MAX bytes.
  if (line.length <= MAX_LINE_BYTES / 3 || Buffer.byteLength(line) <= MAX_LINE_BYTES) out.push(line);
  else out.push(...splitLong(line));
}

/** Cuts text into pieces of at most MAX_LINE_BYTES UTF-8 bytes, at character boundaries. */
export function splitLong(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    const units = code >= 0x10000 ? 2 : 1;
    if (bytes + width > MAX_LINE_BYTES) {
      pieces.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += width;
    i += units;
  }
  pieces.push(text.slice(start));
  return pieces;
}
