import { describe, expect, test } from "bun:test";
import { stripAnsi } from "../../src/runtime/ansi.ts";

describe("stripAnsi (plain output with --color never)", () => {
  test.each([
    ["\x1b[31mred\x1b(B\x1b[m", "red"], // tput sgr0 ends with ESC ( B: regression, it leaked into plain output
    ["\x1bP1$r0m\x1b\\text", "text"],
    ["\x1b]0;title\x07text", "text"],
    ["\x1b7saved\x1b8", "saved"],
    ["plain", "plain"],
  ])("%j -> %j", (input, expected) => expect(stripAnsi(input)).toBe(expected));
});
