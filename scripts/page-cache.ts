/**
 * Linux keeps a file it has just written in large page-cache folios, and maps whole folios
 * into a process that runs it: a freshly written dist/hoku showed ~4 MB more resident code
 * than the same bytes read back from disk, which is how an installed program (and each of the
 * bench's baselines) is mapped.
 */

/** Writes the file back and drops its cached pages (GNU dd's nocache); a no-op where either tool is missing. */
export function dropFromPageCache(file: string): void {
  try {
    Bun.spawnSync(["sync", file]);
    Bun.spawnSync(["dd", `if=${file}`, "iflag=nocache", "count=0", "status=none"]);
  } catch {
    // no sync or dd here: the file just stays cached
  }
}
