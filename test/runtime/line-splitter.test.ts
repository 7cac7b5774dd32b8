/**
 * A dyno's PTY bytes to lines (/work/shared/procfile-dotenv-cases.md, "Lifecycle" rules 1 and 6):
 * `\r\n` and `\n` end lines, UTF-8 split across chunks decodes whole, lines over 10000 bytes
 * are split (Logplex) at character boundaries, and a partial last line is flushed on exit.
 */
import { describe, test, expect } from "bun:test";
import { type LineBatch, LineSplitter, linesOf, lineText, MAX_LINE_BYTES, splitLong } from "../../src/runtime/line-splitter.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (text: string) => Buffer.byteLength(text);
/** The lines of what `push` or `flush` returned, decoded. */
const texts = (batch: LineBatch | undefined) => (batch ? linesOf(batch).map(lineText) : []);

/** Feeds each chunk, then flushes; returns every line in order, decoded. */
function run(chunks: readonly (string | Uint8Array)[]): string[] {
  return runBytes(chunks).map(lineText);
}

function runBytes(chunks: readonly (string | Uint8Array)[]): Uint8Array[] {
  const splitter = new LineSplitter();
  const batches = chunks.map((c) => splitter.push(typeof c === "string" ? utf8(c) : c));
  return [...batches, splitter.flush()].flatMap((batch) => (batch ? linesOf(batch) : []));
}

/** Splits `text`'s UTF-8 bytes at the given byte offsets. */
function cut(text: string, ...at: number[]): Uint8Array[] {
  const all = utf8(text);
  return [0, ...at].map((start, i) => all.slice(start, at[i] ?? all.length));
}

/** Every piece fits, none is empty, no character is broken, and together they are the original. */
function expectPieces(pieces: readonly string[], original: string) {
  expect(pieces.join("")).toBe(original);
  for (const piece of pieces) {
    expect(bytes(piece)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(piece.length).toBeGreaterThan(0);
    expect(piece).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  }
}

describe("line endings", () => {
  test.each([
    ["LF", ["a\nb\n"], ["a", "b"]],
    ["CRLF (the PTY's ending)", ["a\r\nb\r\n"], ["a", "b"]],
    ["mixed CRLF and LF", ["a\r\nb\nc\r\n"], ["a", "b", "c"]],
    ["empty lines kept", ["a\n\n\r\nb\n"], ["a", "", "", "b"]],
    ["a bare CR inside a line is kept", ["50%\r100%\n"], ["50%\r100%"]],
    ["CR and LF in different chunks", ["a\r", "\nb\r", "\n"], ["a", "b"]],
    ["nothing", [], []],
    ["an empty chunk", [""], []],
  ] as const)("%s", (_name, chunks, want) => {
    expect(run(chunks)).toEqual([...want]);
  });
});

describe("partial lines across chunks", () => {
  test.each([
    ["a line in two chunks", ["hel", "lo\n"], ["hello"]],
    ["a line in many chunks", ["h", "e", "l", "l", "o", "\n"], ["hello"]],
    ["a chunk ending one line and starting another", ["one\ntw", "o\nthree\n"], ["one", "two", "three"]],
    ["the newline alone in a chunk", ["abc", "\n"], ["abc"]],
  ] as const)("%s", (_name, chunks, want) => {
    expect(run(chunks)).toEqual([...want]);
  });

  test("lines come out as soon as they are complete", () => {
    const splitter = new LineSplitter();
    expect(texts(splitter.push(utf8("a\nb")))).toEqual(["a"]);
    expect(texts(splitter.push(utf8("c")))).toEqual([]);
    expect(texts(splitter.push(utf8("\nd\r\n")))).toEqual(["bc", "d"]);
    expect(splitter.push(utf8("e"))).toBeUndefined();
    expect(splitter.push(new Uint8Array(0))).toBeUndefined();
    expect(texts(splitter.flush())).toEqual(["e"]);
  });
});

describe("UTF-8 split across chunks", () => {
  test.each([
    ["2-byte é split 1+1", cut("café\n", 4), ["café"]],
    ["3-byte € split 1+2", cut("€5\n", 1), ["€5"]],
    ["3-byte € split 2+1", cut("€5\n", 2), ["€5"]],
    ["4-byte emoji split 1+3", cut("hi 🎉\n", 4), ["hi 🎉"]],
    ["4-byte emoji split 2+2", cut("hi 🎉\n", 5), ["hi 🎉"]],
    ["4-byte emoji split 3+1", cut("hi 🎉\n", 6), ["hi 🎉"]],
    ["one byte per chunk", cut("é€🎉\n", 1, 2, 3, 4, 5, 6, 7, 8, 9), ["é€🎉"]],
    ["split char at the end of one line's chunk", cut("a\nbé\n", 4), ["a", "bé"]],
  ] as const)("%s", (_name, chunks, want) => {
    expect(run(chunks)).toEqual([...want]);
  });
});

describe("lines over 10000 bytes are split at character boundaries", () => {
  test("the limit is Logplex's 10000 bytes", () => {
    expect(MAX_LINE_BYTES).toBe(10000);
  });

  test.each([
    ["ASCII, exactly 10000 bytes", "a".repeat(10000), [10000]],
    ["ASCII, 10001 bytes", "a".repeat(10001), [10000, 1]],
    ["ASCII, 25000 bytes", "x".repeat(25000), [10000, 10000, 5000]],
    ["2-byte chars, 12000 bytes", "é".repeat(6000), [10000, 2000]],
    ["3-byte chars: a char never straddles the cut", "€".repeat(4000), [9999, 2001]],
    ["4-byte chars (surrogate pairs)", "🎉".repeat(3000), [10000, 2000]],
    ["one ASCII byte then 3-byte chars, exactly 10000", `a${"€".repeat(3333)}`, [10000]],
    ["two ASCII bytes then 3-byte chars", `aa${"€".repeat(3333)}`, [9998, 3]],
    ["ASCII then an emoji across the cut", `${"a".repeat(9998)}🎉b`, [9998, 5]],
  ] as const)("%s", (_name, line, sizes) => {
    for (const chunks of [[`${line}\n`], [`${line}\r\n`], cut(`${line}\n`, 4999, 9999, 10001)]) {
      const pieces = run(chunks);
      expectPieces(pieces, line);
      expect(pieces.map(bytes)).toEqual([...sizes]);
    }
  });

  test("lines around a long one are untouched", () => {
    const long = "z".repeat(10500);
    expect(run([`before\n${long}\nafter\n`])).toEqual(["before", "z".repeat(10000), "z".repeat(500), "after"]);
  });

  test.each([
    ["short", "abc", ["abc"]],
    ["empty", "", [""]],
  ] as const)("splitLong: %s text is one piece", (_name, text, want) => {
    expect(splitLong(utf8(text)).map(lineText)).toEqual([...want]);
  });
});

describe("a never-terminated huge line is emitted while streaming", () => {
  test.each([
    ["ASCII in one chunk", "a".repeat(25000), 1],
    ["ASCII in 1000-byte chunks", "b".repeat(35000), 35],
    ["3-byte chars in chunks that cut characters", "€".repeat(15000), 16],
  ] as const)("%s", (_name, line, chunkCount) => {
    const splitter = new LineSplitter();
    const data = utf8(line);
    const size = Math.ceil(data.length / chunkCount);
    const streamed: string[] = [];
    for (let at = 0; at < data.length; at += size) streamed.push(...texts(splitter.push(data.slice(at, at + size))));
    expect(streamed.length).toBeGreaterThan(0);
    const all = [...streamed, ...texts(splitter.flush())];
    expectPieces(all, line);
  });

  test("a long line whose read ends between its CR and LF ends there, with no empty line after it", () => {
    expect(run(["x".repeat(10000) + "\r", "\nnext\n"])).toEqual(["x".repeat(10000), "next"]);
    expect(run(["y".repeat(10005) + "\r", "\n"])).toEqual(["y".repeat(10000), "yyyyy"]);
    expect(run(["z".repeat(20000) + "\r"])).toEqual(["z".repeat(10000), "z".repeat(10000)]);
  });

  test("a streamed line that then ends still yields the whole text", () => {
    const line = "q".repeat(12345);
    const pieces = run([line.slice(0, 11000), line.slice(11000), "\r\n", "next\n"]);
    expect(pieces.at(-1)).toBe("next");
    expectPieces(pieces.slice(0, -1), line);
  });
});

describe("flush", () => {
  test.each([
    ["nothing pushed", [], []],
    ["after complete lines", ["a\nb\n"], []],
    ["a partial last line", ["a\nlast"], ["last"]],
    ["a partial line ending in CR", ["a\nlast\r"], ["last"]],
    ["only a CR left", ["a\r"], ["a"]],
    ["a lone CR", ["\r"], []],
    ["partial line split across chunks", ["pa", "rt"], ["part"]],
    ["what was not already streamed of a long partial line", ["c".repeat(10001)], ["c"]],
  ] as const)("%s", (_name, chunks, wantFromFlush) => {
    const splitter = new LineSplitter();
    for (const c of chunks) splitter.push(utf8(c));
    expect(texts(splitter.flush())).toEqual([...wantFromFlush]);
  });

  test("a second flush returns nothing", () => {
    const splitter = new LineSplitter();
    splitter.push(utf8("tail"));
    expect(texts(splitter.flush())).toEqual(["tail"]);
    expect(splitter.flush()).toBeUndefined();
  });

  test("a UTF-8 sequence cut off at exit becomes U+FFFD, not lost", () => {
    expect(run([utf8("ok ").slice(), cut("€", 2)[0]!])).toEqual(["ok \uFFFD"]);
  });
});

describe("lines stay the bytes the dyno wrote", () => {
  test("bytes that are not UTF-8 pass through unchanged (decoding is the consumer's choice)", () => {
    const raw = Uint8Array.of(0x61, 0xff, 0xfe, 0x80, 0x62, 0x0d, 0x0a, 0x63, 0x0a);
    expect(runBytes([raw]).map((line) => [...line])).toEqual([[0x61, 0xff, 0xfe, 0x80, 0x62], [0x63]]);
    expect(lineText(runBytes([raw])[0]!)).toBe("a\uFFFD\uFFFD\uFFFDb");
  });

  test("a long run of continuation bytes (no character to respect) is cut at 10000 bytes", () => {
    const raw = new Uint8Array(12000).fill(0x80);
    expect(runBytes([raw, utf8("\n")]).map((line) => line.length)).toEqual([10000, 2000]);
  });

  test("lines within one chunk are positions in that chunk, not copies", () => {
    const chunk = utf8("one\r\ntwo\nthree\r\n");
    const batch = new LineSplitter().push(chunk)!;
    expect(batch.data).toBe(chunk);
    expect(batch.spans).toEqual([0, 3, 5, 8, 9, 14]);
  });

  test("a line completed by a later chunk is found in the two joined", () => {
    const splitter = new LineSplitter();
    expect(texts(splitter.push(utf8("a\nhal")))).toEqual(["a"]);
    const batch = splitter.push(utf8("f\r\nb\n"))!;
    expect(lineText(batch.data)).toBe("half\r\nb\n");
    expect(batch.spans).toEqual([0, 4, 6, 7]);
  });

  test("pieces of a long line are spans that tile it", () => {
    const batch = new LineSplitter().push(utf8(`x\n${"y".repeat(25000)}\n`))!;
    expect(batch.spans).toEqual([0, 1, 2, 10002, 10002, 20002, 20002, 25002]);
  });
});
