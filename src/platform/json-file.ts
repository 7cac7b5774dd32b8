/**
 * hoku's own JSON state files: written atomically (a new temp file created exclusively, never
 * through a symlink, then renamed over the file) and readable only by the user; a file that
 * does not parse is an error naming it and the fix, not a stack trace.
 */
import { closeSync, constants, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { HokuError } from "../app/problem.ts";
import { randomHex } from "./random.ts";

export function readJson<T>(file: string, fallback: T): T {
  if (!existsSync(file)) return fallback;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new HokuError(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})\n    hint: fix it, or delete it to start over (hoku state only: your app's files are untouched)`);
  }
}

export function writeJson(file: string, value: unknown): void {
  const temp = `${file}.${randomHex(6)}.tmp`;
  // O_EXCL and O_NOFOLLOW: a file or symlink planted at the temp name fails the write instead of redirecting it.
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
