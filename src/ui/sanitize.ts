/**
 * Makes a dyno's line safe for the log pane (pure): SGR color sequences stay, every
 * other escape (cursor moves, clear screen, titles) and control character goes; a
 * `\r` progress line keeps only what was drawn last; tabs become spaces.
 */
import { ANSI, stripAnsi } from "../runtime/ansi.ts";

const CONTROL = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g;

export function sanitizeLine(text: string): string {
  let line = text;
  if (line.includes("\r")) {
    const segments = line.split("\r").filter((s) => s !== "");
    line = segments.at(-1) ?? "";
  }
  if (line.includes("\x1b")) line = line.replace(ANSI, (seq) => (/^\x1b\[[0-9;:]*m$/.test(seq) ? seq : ""));
  if (line.includes("\t")) line = line.replace(/\t/g, "    ");
  return line.replace(CONTROL, "");
}

/** The text without any escape sequence, for searching and measuring. */
export function plainText(text: string): string {
  return stripAnsi(text);
}
