/**
 * Whether a file descriptor is a terminal, without Bun's stream objects.
 *
 * `process.stdout.isTTY` builds Node's stream machinery and `node:tty` loads `node:net`:
 * each costs 7-8 ms and ~3 MB on the path from `hoku start` to the first dyno line, where
 * the plain output needs neither. On Linux a terminal is a character device whose major
 * number belongs to the tty drivers, which `fstat` tells; elsewhere `node:tty` decides.
 */
import { fstatSync } from "node:fs";

/** Linux character-device majors of terminals: virtual consoles/serial (4), /dev/tty and /dev/console (5), PTY slaves (136-143), USB ACM/serial (166, 188). */
function isTerminalMajor(major: number): boolean {
  return major === 4 || major === 5 || (major >= 136 && major <= 143) || major === 166 || major === 188;
}

/** The major number of a Linux device number (glibc's `gnu_dev_major`). */
export function deviceMajor(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}

export function isTerminal(fd: number): boolean {
  if (process.platform !== "linux") return (require("node:tty") as typeof import("node:tty")).isatty(fd);
  try {
    const stat = fstatSync(fd);
    return stat.isCharacterDevice() && isTerminalMajor(deviceMajor(stat.rdev));
  } catch {
    return false;
  }
}
