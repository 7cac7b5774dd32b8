/**
 * Makes a dyno's line safe for the log pane (pure): SGR color sequences stay, every
 * other escape (cursor moves, clear screen, titles) and control character goes; a
 * `\r` progress line keeps only what was drawn last; tabs become spaces.
 */

// CSI, OSC, DCS/SOS/PM/APC strings, charset designations (`ESC ( B`), then any other
// two-byte escape (`ESC 7`, `ESC =`, `ESC c`), then a lone ESC.
const ESCAPE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[()*+\-./#%][ -~]?|\x1b[ -~]?/g;
const CONTROL = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g;

export function sanitizeLine(text: string): string {
  let line = text;
  if (line.includes("\r")) {
    const segments = line.split("\r").filter((s) => s !== "");
    line = segments.at(-1) ?? "";
  }
  if (line.includes("\x1b")) line = line.replace(ESCAPE, (seq) => (/^\x1b\[[0-9;:]*m$/.test(seq) ? seq : ""));
  if (line.includes("\t")) line = line.replace(/\t/g, "    ");
  return line.replace(CONTROL, "");
}

/** The text without any escape sequence, for searching and measuring. */
export function plainText(text: string): string {
  return text.includes("\x1b") ? text.replace(ESCAPE, "") : text;
}
