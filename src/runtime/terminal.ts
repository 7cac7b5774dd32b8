/**
 * Whether a file descriptor is a terminal, without Bun's stream objects.
 *
 * `process.stdout.isTTY` builds Node's stream machinery and `node:tty` loads `node:net`:
 * each costs 7-8 ms and ~3 MB on the path from `hoku start` to the first dyno line, where
 * the plain output needs neither. On Linux a terminal is a character device whose major
 * number belongs to the common tty drivers, which `fstat` tells; for other character devices,
 * and on other systems, `node:tty` decides.
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

/** The memory devices (/dev/null, /dev/zero, ...): character devices, never terminals. */
const MEMORY_MAJOR = 1;

const ttyIsatty = (fd: number) => (require("node:tty") as typeof import("node:tty")).isatty(fd);

export function isTerminal(fd: number): boolean {
  if (process.platform !== "linux") return ttyIsatty(fd);
  let stat;
  try {
    stat = fstatSync(fd);
  } catch {
    return false;
  }
  if (!stat.isCharacterDevice()) return false;
  const major = deviceMajor(stat.rdev);
  if (isTerminalMajor(major)) return true;
  if (major === MEMORY_MAJOR) return false;
  // Another character device (a hypervisor console, a board's UART...): the kernel decides.
  return ttyIsatty(fd);
}
