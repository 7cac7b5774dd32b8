/**
 * hoku's own JSON state files (add-on records, kept secrets, the running marker):
 * written atomically (temp file, then rename) and readable only by the user; a file
 * that does not parse is an error naming it and the fix, not a stack trace.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { HokuError } from "../app/problem.ts";

export function readJson<T>(file: string, fallback: T): T {
  if (!existsSync(file)) return fallback;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new HokuError(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})\n    hint: fix it, or delete it to start over (hoku state only: your app's files are untouched)`);
  }
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
