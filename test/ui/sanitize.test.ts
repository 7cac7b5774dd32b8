import { describe, expect, test } from "bun:test";
import { plainText, sanitizeLine } from "../../src/ui/sanitize.ts";

const ESC = "\x1b";

describe("sanitizeLine", () => {
  test.each([
    ["plain text", "hello world", "hello world"],
    ["empty line", "", ""],
    ["unicode", "héllo ✓ 日本", "héllo ✓ 日本"],
    ["symbols that look like escapes", "[31m not an escape ]0;", "[31m not an escape ]0;"],
  ])("leaves %s untouched", (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  test.each([
    ["basic color and reset", `${ESC}[31mred${ESC}[0m`],
    ["bold + color", `${ESC}[1;32mok${ESC}[m`],
    ["256 colors", `${ESC}[38;5;208morange${ESC}[0m`],
    ["truecolor", `${ESC}[38;2;10;20;30mrgb${ESC}[0m`],
    ["colon-separated truecolor", `${ESC}[38:2::1:2:3mrgb${ESC}[0m`],
    ["bare reset", `a${ESC}[mb`],
  ])("keeps SGR: %s", (_name, input) => {
    expect(sanitizeLine(input)).toBe(input);
  });

  test.each([
    ["cursor up", `a${ESC}[2Ab`, "ab"],
    ["cursor position", `${ESC}[10;20Hat`, "at"],
    ["cursor forward", `x${ESC}[5Cy`, "xy"],
    ["clear screen", `${ESC}[2J${ESC}[Hhome`, "home"],
    ["erase line", `${ESC}[2Kline`, "line"],
    ["erase to end of line", `line${ESC}[K`, "line"],
    ["hide cursor (private CSI)", `a${ESC}[?25lb${ESC}[?25h`, "ab"],
    ["alternate screen", `${ESC}[?1049hx`, "x"],
    ["scroll region", `${ESC}[1;24rx`, "x"],
    ["CSI with intermediate byte", `${ESC}[2 qx`, "x"],
    ["OSC title ended by BEL", `${ESC}]0;my title\x07text`, "text"],
    ["OSC title ended by ST", `${ESC}]2;title${ESC}\\text`, "text"],
    ["OSC 8 hyperlink", `${ESC}]8;;http://x.test${ESC}\\link${ESC}]8;;${ESC}\\`, "link"],
    ["DCS string", `${ESC}Pq#0;2${ESC}\\x`, "x"],
    ["single-char escape (index)", `a${ESC}Db`, "ab"],
    ["lone trailing ESC", `x${ESC}`, "x"],
  ])("drops %s", (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  test("drops non-SGR escapes but keeps the SGR next to them", () => {
    expect(sanitizeLine(`${ESC}[2K${ESC}[32mgreen${ESC}[0m${ESC}[1A`)).toBe(`${ESC}[32mgreen${ESC}[0m`);
  });

  test.each([
    ["progress", "10%\r20%\r30%", "30%"],
    ["trailing \\r ignored", "10%\r20%\r", "20%"],
    ["line ending in \\r", "done\r", "done"],
    ["only \\r", "\r", ""],
    ["leading \\r", "\rnew", "new"],
    ["repeated \\r", "a\r\r\rb\r\r", "b"],
    ["progress with erase line", `${ESC}[2K10%\r${ESC}[2K20%`, "20%"],
    ["progress keeps the last segment's colors", `old\r${ESC}[32mnew${ESC}[0m`, `${ESC}[32mnew${ESC}[0m`],
  ])("\\r %s", (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  test.each([
    ["one tab", "a\tb", "a    b"],
    ["leading tab", "\tindented", "    indented"],
    ["two tabs", "\t\tx", "        x"],
  ])("tabs become 4 spaces: %s", (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  test.each([
    ["NUL", "a\x00b", "ab"],
    ["BEL", "ding\x07!", "ding!"],
    ["backspace", "ab\x08c", "abc"],
    ["vertical tab / form feed", "a\x0bb\x0cc", "abc"],
    ["SO/SI", "a\x0eb\x0fc", "abc"],
    ["DEL", "a\x7fb", "ab"],
    ["unit separator", "a\x1fb", "ab"],
    ["FS", "a\x1cb", "ab"],
  ])("drops control char %s", (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  // BUG (src/ui/sanitize.ts, ESCAPE regex): the single-character-escape branch
  // `\x1b[@-Z\\-_]?` only covers ESC + 0x40..0x5F. For other two-byte/nF escapes only
  // the ESC is removed and the rest leaks into the log pane as text:
  //   sanitizeLine("\x1b(B\x1b[mtext") -> "(B\x1b[mtext" (expected "\x1b[mtext"; `tput sgr0` prints "\x1b(B\x1b[m")
  //   sanitizeLine("\x1b7saved\x1b8")  -> "7saved8"       (expected "saved"; DECSC/DECRC)
  //   sanitizeLine("\x1b=keypad")      -> "=keypad"       (expected "keypad"; DECKPAM)
  //   sanitizeLine("\x1bcreset")       -> "creset"        (expected "reset"; RIS)
  test("drops charset designation ESC ( B (tput sgr0)", () => {
    expect(sanitizeLine(`${ESC}(B${ESC}[mtext`)).toBe(`${ESC}[mtext`);
  });
  test("drops save/restore cursor ESC 7 / ESC 8", () => {
    expect(sanitizeLine(`${ESC}7saved${ESC}8`)).toBe("saved");
  });
  test("drops keypad mode ESC = / ESC >", () => {
    expect(sanitizeLine(`${ESC}=keypad${ESC}>`)).toBe("keypad");
  });
  test("drops full reset ESC c", () => {
    expect(sanitizeLine(`${ESC}creset`)).toBe("reset");
  });
});

describe("plainText", () => {
  test.each([
    ["SGR", `${ESC}[31mred${ESC}[0m`, "red"],
    ["256-color SGR", `${ESC}[1;38;5;208mx${ESC}[m`, "x"],
    ["cursor move", `a${ESC}[2Ab`, "ab"],
    ["OSC title", `${ESC}]0;t\x07body`, "body"],
    ["many sequences", `${ESC}[1m${ESC}[32mA${ESC}[0m-${ESC}[4mB${ESC}[0m`, "A-B"],
    ["plain", "nothing to strip", "nothing to strip"],
    ["empty", "", ""],
  ])("strips %s", (_name, input, expected) => {
    expect(plainText(input)).toBe(expected);
  });

  test("plainText of a sanitized line has no ESC left", () => {
    const line = sanitizeLine(`${ESC}[2J${ESC}[31merror:${ESC}[0m ${ESC}[1mboom${ESC}[22m`);
    expect(plainText(line)).toBe("error: boom");
    expect(plainText(line)).not.toContain(ESC);
  });
});
