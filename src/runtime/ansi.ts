/**
 * ANSI escape sequences: CSI, OSC, DCS/SOS/PM/APC strings, charset designations
 * (`ESC ( B`, which `tput sgr0` prints), any other two-byte escape (`ESC 7`, `ESC =`,
 * `ESC c`), and a lone ESC. One pattern for plain output and for the TUI.
 */
export const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[()*+\-./#%][ -~]?|\x1b[ -~]?/g;

/** The text without any escape sequence. */
export function stripAnsi(text: string): string {
  return text.includes("\x1b") ? text.replace(ANSI, "") : text;
}
