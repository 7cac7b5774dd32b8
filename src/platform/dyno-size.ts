/**
 * Dyno sizes: hoku runs every dyno the same way (no memory or CPU quota per size), so it models
 * one size, Basic, and refuses the others (`ps:scale web=1:Standard-2X`, `ps:type
 * performance-m`, `run --size`) in the shape of Heroku's answer to a size it does not have
 * (422, "No such size as ..."), rather than recording a size that would change nothing.
 */
import { invalid } from "./api/http.ts";

export const DYNO_SIZE = "Basic";

/** The size a request names (any case), or an error for a size hoku does not run. */
export function checkSize(size: string | undefined): string {
  if (size === undefined || size === null || size === "" || String(size).toLowerCase() === DYNO_SIZE.toLowerCase()) return DYNO_SIZE;
  throw invalid(`No such size as ${size}. hoku runs every dyno as ${DYNO_SIZE}: it models no other dyno size (no memory or CPU quota per size).`);
}
