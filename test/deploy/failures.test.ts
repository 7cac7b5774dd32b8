// Builds that fail say why in Heroku's words (GP-3) and throw a BuildError naming the step.
import { expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeApp } from "../helpers/hoku.ts";
import { build, fixture } from "./helpers.ts";

const FAILING = fixture("buildpacks/failing");

test("a failing bin/compile: its output, then 'Push rejected, failed to compile <Lang> app.' and 'Push failed'", async () => {
  const built = await build(makeApp({ "index.txt": "" }), { buildpacks: [FAILING] });
  expect(built.error?.step).toBe(`compile of ${FAILING}`);
  expect(built.error?.exitCode).toBe(1);
  expect(built.error?.message).toContain("exited with status 3");
  expect(built.lines.slice(-7)).toEqual([
    "-----> Failing Lang app detected",
    "-----> Doing things",
    "something broke",
    "",
    " !     Push rejected, failed to compile Failing Lang app.",
    "",
    " !     Push failed",
  ]);
  expect(existsSync(built.slugDir)).toBe(false);
});

test("a build past its time limit is stopped with everything it started", async () => {
  const built = await build(makeApp({ hang: "" }), { buildpacks: [FAILING], limits: { timeoutMs: 1000 } });
  expect(built.error?.step).toBe("timeout");
  expect(built.ms).toBeLessThan(6000);
  expect(built.lines).toContain(" !     Timed out compiling Failing Lang app (the build's time limit)");
  // The compile's own child is gone too (a zombie at most, where pid 1 does not reap).
  const child = readFileSync(join(built.cacheDir, "child.pid"), "utf8").trim();
  const state = existsSync(`/proc/${child}/status`) ? /^State:\s+(\S)/m.exec(readFileSync(`/proc/${child}/status`, "utf8"))?.[1] : "gone";
  expect(["gone", "Z"]).toContain(state!);
});

test("a network buildpack offline fails at once, saying how to use a local copy", async () => {
  for (const url of ["https://github.com/example/heroku-buildpack-offline.git", "https://buildpacks.example.invalid/bp.tgz"]) {
    const built = await build(makeApp({ "index.txt": "" }), { buildpacks: [url] });
    expect(built.error?.step).toBe(`fetch of ${url}`);
    expect(built.ms).toBeLessThan(10_000);
    const text = built.lines.join("\n");
    expect(text).toContain(` !     could not fetch the buildpack ${url}`);
    expect(text).toContain("hoku builds offline");
    expect(text).toContain("file:///path/to/buildpack");
    expect(built.lines.at(-1)).toBe(" !     Push failed");
  }
});

test("Heroku's own buildpack URLs run the built-in; registry names hoku lacks are named", async () => {
  const app = makeApp({ Procfile: "web: echo hi\n" });
  const official = await build(app, { buildpacks: ["https://github.com/heroku/heroku-buildpack-python#v250", "urn:buildpack:heroku/procfile"] });
  expect(official.error?.step).toBe("detect of https://github.com/heroku/heroku-buildpack-python#v250");
  expect(official.lines).toContain("-----> App not compatible with buildpack: https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/python.tgz");

  const procfile = await build(app, { buildpacks: ["urn:buildpack:heroku/procfile"] });
  expect(procfile.result?.buildpacks).toEqual([{ name: "heroku/procfile", url: "https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/procfile.tgz" }]);

  const java = await build(app, { buildpacks: ["heroku/java"] });
  expect(java.error?.step).toBe("fetch of heroku/java");
  expect(java.lines.join("\n")).toContain("hoku has no offline copy of heroku/java");
});

test("an app no built-in detects: Heroku's 'No default language' lines", async () => {
  const built = await build(makeApp({ "README.md": "hi\n" }));
  expect(built.error?.step).toBe("detect");
  expect(built.lines).toContain(" !     No default language could be detected for this app.");
  expect(built.lines.at(-1)).toBe(" !     Push failed");
});

test("a slug past the size limit fails with Heroku's line; past it only uncompressed, it passes", async () => {
  const limits = { slugMaxBytes: 1024 * 1024, slugWarnBytes: 512 * 1024 };
  const big = makeApp({ Procfile: "web: true\n" });
  // 2 MiB of random bytes: gzip cannot shrink them (getRandomValues gives 64 KiB at a time).
  writeFileSync(join(big, "noise.bin"), Buffer.concat(Array.from({ length: 32 }, () => crypto.getRandomValues(new Uint8Array(65536)))));
  const tooLarge = await build(big, { limits });
  expect(tooLarge.error?.step).toBe("slug size");
  expect(tooLarge.lines.slice(-5)).toEqual(["-----> Compressing...", " !     Compiled slug size: 2.0M is too large (max is 1.0M).", " !     See: http://devcenter.heroku.com/articles/slug-size", "", " !     Push failed"]);

  const zeros = makeApp({ Procfile: "web: true\n" });
  writeFileSync(join(zeros, "zeros.bin"), new Uint8Array(2 * 1024 * 1024));
  const compressible = await build(zeros, { limits });
  expect(compressible.error).toBeUndefined();
  expect(compressible.lines.at(-1)).toBe("       Done: 2.0M");
  expect(compressible.result?.sizeBytes).toBeGreaterThan(2 * 1024 * 1024);
});

test("a Procfile hoku cannot read fails the build, naming the line", async () => {
  const built = await build(makeApp({ Procfile: "web: ok\nthis is not a process type\n" }));
  expect(built.error?.step).toBe("Procfile");
  expect(built.lines.join("\n")).toContain("Procfile:2");
});

test("a bin/release that prints what is not YAML fails the build, naming the buildpack", async () => {
  const buildpack = makeApp({ "bin/detect": "#!/bin/sh\necho Odd\n", "bin/compile": "#!/bin/sh\n", "bin/release": "#!/bin/sh\necho 'default_process_types: [web'\n" });
  const built = await build(makeApp({ "index.txt": "" }), { buildpacks: [buildpack] });
  expect(built.error?.step).toBe(`release of ${buildpack}`);
  expect(built.lines.join("\n")).toContain(` !     bin/release of ${buildpack} printed something hoku cannot read`);
  expect(built.lines.at(-1)).toBe(" !     Push failed");
});
