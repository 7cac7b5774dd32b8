import { describe, expect, test } from "bun:test";
import { takeMouseReports } from "../../src/ui/mouse.ts";

describe("takeMouseReports", () => {
  test.each([
    ["\x1b[<64;10;5M", "", [-3]],
    ["\x1b[<65;1;1M", "", [3]],
    ["a\x1b[<65;1;1Mb\x1b[<64;2;2M", "ab", [3, -3]],
    ["\x1b[<0;3;4M\x1b[<0;3;4m", "", []],
    ["plain keys j k", "plain keys j k", []],
    ["\x1b[A", "\x1b[A", []],
  ])("%j leaves %j and wheels %j", (input, rest, wheels) => {
    const seen: number[] = [];
    expect(takeMouseReports(input, (n) => seen.push(n))).toBe(rest);
    expect(seen).toEqual(wheels);
  });
});
