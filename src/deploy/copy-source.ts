/**
 * Lays the pushed source out in the build dir: everything but `.git`, copied with modes and
 * symlinks as they are (`cp -a`), then the files .slugignore names removed, before any
 * buildpack runs (Heroku's order; herokuish applies .slugignore only when it tars the slug).
 * The source folder itself is never changed.
 */
import { existsSync, lstatSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { formatProblem } from "../app/problem.ts";
import { readInputFile } from "../platform/read-input.ts";
import { BuildError } from "./build-error.ts";
import { parseSlugignore, type SlugMatcher } from "./slugignore.ts";
import { bang, type OutputLine, step } from "./transcript.ts";

/** Copies `sourceDir` into the (existing, empty) `buildDir`, leaving `.git` out. */
export async function copySource(sourceDir: string, buildDir: string): Promise<void> {
  const entries = readdirSync(sourceDir).filter((name) => name !== ".git");
  if (entries.length === 0) return;
  const proc = Bun.spawn(["cp", "-a", "--", ...entries.map((name) => join(sourceDir, name)), buildDir], { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new BuildError("prepare", `could not copy the source ${sourceDir} to the build dir ${buildDir}: ${stderr.trim()}`);
}

/** Removes what `matches` names under `dir`; returns how many files went (a folder counts its files). */
export function removeMatching(dir: string, matches: SlugMatcher, prefix = ""): number {
  let removed = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix + entry.name;
    const full = join(dir, entry.name);
    const isDir = entry.isDirectory();
    if (matches(path, isDir)) {
      removed += isDir ? countFiles(full) : 1;
      rmSync(full, { recursive: true, force: true });
    } else if (isDir) removed += removeMatching(full, matches, `${path}/`);
  }
  return removed;
}

function countFiles(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) count += entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1;
  return count;
}

/** Applies the build dir's .slugignore, if it has one, saying how many files it removed. */
export function applySlugignore(buildDir: string, output: OutputLine): void {
  const file = join(buildDir, ".slugignore");
  if (!existsSync(file) || !lstatSync(file).isFile()) return;
  const read = readInputFile(file, ".slugignore");
  if (read.problem) throw new BuildError("prepare", formatProblem(read.problem));
  const { value: matches, problems } = parseSlugignore(read.text);
  const removed = removeMatching(buildDir, (path, isDir) => path !== ".slugignore" && matches(path, isDir));
  output(step(`Deleting ${removed} files matching .slugignore patterns.`));
  for (const problem of problems) for (const line of formatProblem(problem).split("\n")) output(bang(line.trim()));
}
