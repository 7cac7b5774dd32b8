/** isTerminal: fstat's device major instead of node:tty (src/runtime/terminal.ts). */
import { describe, expect, test } from "bun:test";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deviceMajor, isTerminal } from "../../src/runtime/terminal.ts";
import { tempDir } from "../helpers/hoku.ts";

describe("deviceMajor", () => {
  test.each([
    [(136 << 8) | 3, 136], // /dev/pts/3
    [(5 << 8) | 2, 5], // /dev/ptmx
    [(1 << 8) | 3, 1], // /dev/null
    [(4 << 8) | 64, 4], // /dev/ttyS0
    [(0xabc << 8) | 7, 0xabc],
    [0x1000 * 2 ** 32 + ((0x0ff << 8) | 1), 0x10ff], // a major above 4095 keeps its high bits (stored from bit 44)
  ])("%p -> %p", (rdev, major) => {
    expect(deviceMajor(rdev)).toBe(major);
  });
});

describe("isTerminal", () => {
  const withFd = (path: string, check: (fd: number) => void) => {
    const fd = openSync(path, "r");
    try {
      check(fd);
    } finally {
      closeSync(fd);
    }
  };

  test("a PTY master is a terminal; /dev/null, a file and a closed descriptor are not", () => {
    withFd("/dev/ptmx", (fd) => expect(isTerminal(fd)).toBe(true));
    withFd("/dev/null", (fd) => expect(isTerminal(fd)).toBe(false));
    const file = join(tempDir("hoku-tty-"), "f");
    writeFileSync(file, "x");
    withFd(file, (fd) => expect(isTerminal(fd)).toBe(false));
    expect(isTerminal(987)).toBe(false);
  });

  test.skipIf(!Bun.which("script"))("it agrees with the kernel (`test -t`) for a pipe and for a PTY slave", () => {
    const inPty = Bun.spawnSync(["script", "-qfc", `${process.execPath} -e 'console.log(require(${JSON.stringify(import.meta.dir + "/../../src/runtime/terminal.ts")}).isTerminal(1))'; test -t 1 && echo kernel-says-tty`, "/dev/null"]);
    expect(inPty.stdout.toString()).toContain("true");
    expect(inPty.stdout.toString()).toContain("kernel-says-tty");
    const piped = Bun.spawnSync([process.execPath, "-e", `console.log(require(${JSON.stringify(import.meta.dir + "/../../src/runtime/terminal.ts")}).isTerminal(1))`]);
    expect(piped.stdout.toString().trim()).toBe("false");
  });
});
