/**
 * The slug's size and Heroku's limits on it (BP-6): a warning past 300 MB, a failed build past
 * 500 MB. Heroku measures the compressed slug; hoku's slug is a folder that dynos run as it
 * is, so hoku measures the folder (its files' sizes: what the slug costs on disk) and compresses
 * it, to measure as Heroku does, only when the folder alone is past a limit: a folder under a
 * limit compresses to less, so most builds never pay for a tar.
 */
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface SlugLimits {
  /** Past this the build fails (Heroku: 500 MB). */
  readonly maxBytes: number;
  /** Past this the transcript warns (Heroku: 300 MB). */
  readonly warnBytes: number;
}

export const HEROKU_SLUG_LIMITS: SlugLimits = { maxBytes: 500 * 1024 * 1024, warnBytes: 300 * 1024 * 1024 };

/**
 * The sizes of every file and symlink under `dir` (not following links), a file with several
 * hard links once (pnpm links one 60 MB binary under four names; a tarball stores it once).
 */
export function folderSize(dir: string, seen = new Set<string>()): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      total += folderSize(path, seen);
      continue;
    }
    const stat = lstatSync(path);
    if (stat.nlink > 1) {
      const inode = `${stat.dev}:${stat.ino}`;
      if (seen.has(inode)) continue;
      seen.add(inode);
    }
    total += stat.size;
  }
  return total;
}

/** The size of `dir` as a gzipped tarball, as the slug compiler makes it (nothing is written). */
export async function compressedSize(dir: string): Promise<number> {
  const proc = Bun.spawn(["tar", "-czf", "-", "-C", dir, "."], { stdin: "ignore", stdout: "pipe", stderr: "ignore" });
  let total = 0;
  for await (const chunk of proc.stdout) total += chunk.byteLength;
  if ((await proc.exited) !== 0) throw new Error(`tar could not read ${dir}`);
  return total;
}

export interface SlugSize {
  /** The folder's size. */
  readonly bytes: number;
  /** The compressed size, when the folder was past a limit and hoku measured it. */
  readonly compressedBytes?: number;
  readonly verdict: "ok" | "warn" | "too-large";
}

export async function measureSlug(dir: string, limits: SlugLimits): Promise<SlugSize> {
  const bytes = folderSize(dir);
  if (bytes <= limits.warnBytes) return { bytes, verdict: "ok" };
  const compressedBytes = await compressedSize(dir);
  const verdict = compressedBytes > limits.maxBytes ? "too-large" : compressedBytes > limits.warnBytes ? "warn" : "ok";
  return { bytes, compressedBytes, verdict };
}
