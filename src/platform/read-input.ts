/**
 * Reading the user's input files (Procfile, env files, app.json, hoku.json, package.json)
 * safely: only a regular file (a directory, FIFO or device would fail, hang or never end),
 * at most 1 MiB (no real one comes close), without following its growth while it is read,
 * and text without NUL bytes, which no command, key or value can hold. Anything else is a
 * Problem naming the file and the fix, never an exception.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { constants } from "node:fs";
import type { Problem } from "../app/problem.ts";

/** The most bytes hoku reads of one input file. */
export const MAX_INPUT_BYTES = 1024 * 1024;

export type InputRead = { readonly text: string; readonly problem?: undefined } | { readonly text?: undefined; readonly problem: Problem };

/** What a file is, in words, from its mode bits. */
function kindOf(mode: number): string {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFDIR:
      return "a directory";
    case constants.S_IFIFO:
      return "a FIFO (named pipe)";
    case constants.S_IFCHR:
      return "a character device";
    case constants.S_IFBLK:
      return "a block device";
    case constants.S_IFSOCK:
      return "a socket";
    default:
      return "not a regular file";
  }
}

/** Reads `path` (shown to the user as `name`) as UTF-8 text, or says why not. */
export function readInputFile(path: string, name: string): InputRead {
  const problem = (message: string, hint: string, line?: number): InputRead => ({ problem: { file: name, ...(line !== undefined && { line }), message, hint, severity: "error" } });
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") return problem("cannot be read: permission denied", `give your user read access (chmod u+r ${name})`);
    return problem(`cannot be read (${code ?? String(error)})`, "check that the path names a readable file");
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return problem(`is ${kindOf(stat.mode)}, not a file`, `replace it with a regular text file (hoku reads ${name} as text)`);
    if (stat.size > MAX_INPUT_BYTES) return problem(`is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; hoku reads at most 1 MiB`, "is it the right file? a Procfile, env file or app.json is a few KiB");
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_INPUT_BYTES) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_INPUT_BYTES) return problem("grew past 1 MiB while it was read; hoku reads at most 1 MiB", "is something writing to it?");
    const text = buffer.subarray(0, length).toString("utf8");
    const nul = text.indexOf("\0");
    if (nul >= 0) {
      const line = text.slice(0, nul).split("\n").length;
      return problem("contains a NUL byte, which no command, key or value can hold", "remove it; a file saved as UTF-16 looks like this: save it as UTF-8", line);
    }
    return { text };
  } catch (error) {
    return problem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, "check that the path names a readable file");
  } finally {
    closeSync(fd);
  }
}
