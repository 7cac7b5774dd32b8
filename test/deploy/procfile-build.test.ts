// heroku/procfile, built in: an app that is a Procfile and a shell script; .slugignore before the build.
import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeApp } from "../helpers/hoku.ts";
import { build, runInSlug } from "./helpers.ts";

test("a Procfile-only shell app builds and its command runs from the slug", async () => {
  const app = makeApp({
    Procfile: "web: ./serve.sh\nclock: echo tick\n",
    "serve.sh": '#!/usr/bin/env bash\necho "serving from $PWD"\n',
    ".git/HEAD": "ref: refs/heads/main\n",
  });
  Bun.spawnSync(["chmod", "+x", join(app, "serve.sh")]);
  const built = await build(app);
  expect(built.error).toBeUndefined();
  expect(built.lines).toEqual([
    "-----> Building on the Heroku-24 stack",
    "-----> Determining which buildpack to use for this app",
    "-----> Procfile app detected",
    "-----> Nothing to compile: the Procfile's commands run as they are",
    "-----> Discovering process types",
    "       Procfile declares types -> web, clock",
    "-----> Compressing...",
    "       Done: 1K",
  ]);
  expect(built.result?.processTypes).toEqual({ web: "./serve.sh", clock: "echo tick" });
  expect(existsSync(join(built.slugDir, ".git"))).toBe(false);
  expect((await runInSlug(built.slugDir, "./serve.sh")).stdout).toBe(`serving from ${built.slugDir}`);
});

test(".slugignore removes what it names before any buildpack runs; the source is untouched", async () => {
  const app = makeApp({
    Procfile: "web: ls\n",
    ".slugignore": "# not for the slug\n*.psd\n/docs/\nspec\n!keep.psd\n",
    "art/logo.psd": "x",
    "logo.psd": "x",
    "docs/a.md": "x",
    "docs/b.md": "x",
    "lib/docs/kept.md": "x",
    "lib/spec/one.rb": "x",
    "spec": "a file named spec",
    "index.txt": "x",
  });
  const built = await build(app, { buildpacks: ["heroku/procfile"] });
  expect(built.error).toBeUndefined();
  expect(built.lines[1]).toBe("-----> Deleting 6 files matching .slugignore patterns.");
  expect(built.lines.slice(2, 4)).toEqual([" !     .slugignore:5: warning: negated patterns are not supported: !keep.psd", " !     hint: Heroku's .slugignore has no `!`; list only what to remove"]);
  for (const gone of ["art/logo.psd", "logo.psd", "docs", "lib/spec", "spec"]) expect(existsSync(join(built.slugDir, gone))).toBe(false);
  for (const kept of ["lib/docs/kept.md", "index.txt", "Procfile"]) expect(existsSync(join(built.slugDir, kept))).toBe(true);
  expect(readFileSync(join(app, "docs/a.md"), "utf8")).toBe("x");
});
