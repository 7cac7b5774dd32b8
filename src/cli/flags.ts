/** Flag values shared by commands: durations and the color decision. */
import { parseDuration } from "../app/duration.ts";
import { HokuError } from "../app/problem.ts";
import { isTerminal } from "../runtime/terminal.ts";

export function durationFlag(text: string, flag: string, bareUnit: "ms" | "s" | "m" | "h"): number {
  const ms = parseDuration(text, bareUnit);
  if (ms === undefined) throw new HokuError(`${flag} ${JSON.stringify(text)} is not a duration\n    hint: write e.g. 500ms, 5s, 10m or 1h (a bare number is in ${bareUnit})`);
  return ms;
}

/** `--color auto` colors only a terminal, and honors NO_COLOR / FORCE_COLOR. */
export function useColor(when: "auto" | "always" | "never"): boolean {
  if (when !== "auto") return when === "always";
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return isTerminal(1);
}
