/**
 * Whether an environment can be handed to a new process at all (pure). Linux refuses an
 * exec (E2BIG) when one `KEY=value` string is over 128 KiB (MAX_ARG_STRLEN), or when the
 * strings and their pointers together pass a quarter of the stack limit: 2 MiB with the
 * usual 8 MiB stack (getconf ARG_MAX). Better said before anything starts, naming the
 * variables to look at, than as a spawn failure of every dyno.
 */
import { MAX_ENTRY_BYTES } from "./env-file.ts";
import type { Problem } from "./problem.ts";

/** The usual total limit for argv and environment together. */
export const MAX_ENV_BYTES = 2 * 1024 * 1024;

/** Room left for the command line (`bash -c "<command>"`) within MAX_ENV_BYTES. */
const ARGV_ROOM = 64 * 1024;

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;

/** A problem when `env` cannot be passed to a process, naming the largest variables; else undefined. */
export function envSizeProblem(env: Readonly<Record<string, string>>, limit = MAX_ENV_BYTES): Problem | undefined {
  const sizes = Object.entries(env).map(([key, value]) => ({ key, bytes: Buffer.byteLength(key) + Buffer.byteLength(value) + 2 }));
  const largest = [...sizes].sort((a, b) => b.bytes - a.bytes);
  const tooLong = largest.find((s) => s.bytes > MAX_ENTRY_BYTES);
  if (tooLong)
    return {
      file: "environment",
      message: `${tooLong.key} is ${kib(tooLong.bytes)}; one variable may be at most 128 KiB (the kernel's limit for an environment entry)`,
      hint: `unset it in your shell or env file, or keep the data in a file and put its path in ${tooLong.key}`,
      severity: "error",
    };
  const total = sizes.reduce((sum, s) => sum + s.bytes + 8, 0);
  if (total <= limit - ARGV_ROOM) return undefined;
  return {
    file: "environment",
    message: `the environment is ${kib(total)}, too large to start a process (the limit is about ${kib(limit)} with the command line)`,
    hint: `the largest variables: ${largest.slice(0, 3).map((s) => `${s.key} (${kib(s.bytes)})`).join(", ")}; unset some in your shell or env files`,
    severity: "error",
  };
}
