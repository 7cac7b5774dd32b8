/**
 * Writes the built-in buildpacks (buildpacks/index.ts, embedded in the binary) out to hoku's
 * state folder, where bin/detect and bin/compile can run: `<state>/buildpacks/<hash>/<name>/`,
 * bin/ scripts executable. The folder is named after a hash of every file, so a hoku with
 * changed buildpacks writes a new one and never runs stale copies; it is written to a temp
 * folder and renamed into place, so two builds starting at once never see half of it.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomHex } from "../platform/random.ts";
import { ensureOwnedDir, stateRoot } from "../platform/state-dir.ts";
import { BUILTIN_BUILDPACKS, type BuiltinBuildpack } from "./buildpacks/index.ts";

/** `heroku/nodejs` -> `heroku-nodejs`, the built-in's folder name. */
export function builtinFolderName(name: string): string {
  return name.replace("/", "-");
}

/** A short hash of every built-in file: the extracted folder's name. */
export function builtinsHash(buildpacks: readonly BuiltinBuildpack[] = BUILTIN_BUILDPACKS): string {
  const hasher = new Bun.CryptoHasher("sha256");
  for (const { name, files } of buildpacks) {
    for (const [path, text] of Object.entries(files)) hasher.update(`${name}\0${path}\0${text.length}\0${text}`);
  }
  return hasher.digest("hex").slice(0, 16);
}

/**
 * The folder holding every built-in buildpack (one sub-folder each, see builtinFolderName),
 * written out under `root` (hoku's state folder by default) if it is not there yet.
 */
export function extractBuiltinBuildpacks(root: string = stateRoot(), buildpacks: readonly BuiltinBuildpack[] = BUILTIN_BUILDPACKS): string {
  ensureOwnedDir(root);
  const parent = ensureOwnedDir(join(root, "buildpacks"));
  const hash = builtinsHash(buildpacks);
  const target = join(parent, hash);
  if (readdirSync(parent).includes(hash)) return target;

  const temp = join(parent, `.tmp-${randomHex(8)}`);
  try {
    for (const { name, files } of buildpacks) {
      for (const [path, text] of Object.entries(files)) {
        const file = join(temp, builtinFolderName(name), path);
        mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
        writeFileSync(file, text, { mode: path.startsWith("bin/") ? 0o755 : 0o644 });
      }
    }
    renameSync(temp, target);
  } catch (error) {
    // Another build renamed its copy into place first: that one is the same files.
    if (!readdirSync(parent).includes(hash)) throw error;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return target;
}
