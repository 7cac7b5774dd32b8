/** The log prefixes' colors (log-format.ts SGR codes) as Ink color names, and the state colors. */
import type { DynoState } from "../runtime/dyno-state.ts";
import { colorOf } from "../runtime/log-format.ts";

const NAMES: Readonly<Record<number, string>> = {
  31: "red", 32: "green", 33: "yellow", 34: "blue", 35: "magenta", 36: "cyan",
  91: "redBright", 92: "greenBright", 93: "yellowBright", 94: "blueBright", 95: "magentaBright", 96: "cyanBright",
};

/** The Ink color of a dyno's prefix, the same as in plain output. */
export function dynoColor(dyno: string, typeIndex: ReadonlyMap<string, number>): string {
  return NAMES[colorOf(dyno, typeIndex)] ?? "white";
}

export const STATE_COLORS: Readonly<Record<DynoState, string>> = {
  starting: "yellow",
  up: "green",
  crashed: "red",
  stopping: "magenta",
  down: "gray",
  complete: "gray",
};
