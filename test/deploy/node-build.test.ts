// heroku/nodejs, built in: a real npm install of a small app with a build script.
import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build, copySlug, fixture, runInSlug } from "./helpers.ts";

test("a Node.js app builds like Heroku's, runs relocated, and a re-push reuses node_modules", async () => {
  const first = await build(fixture("node-app"));
  expect(first.error).toBeUndefined();
  const text = first.lines.join("\n");
  for (const line of [
    "-----> Building on the Heroku-24 stack",
    "-----> Determining which buildpack to use for this app",
    "-----> Node.js app detected",
    "-----> Creating runtime environment",
    "       NODE_ENV=production",
    "-----> Installing binaries",
    "       engines.node (package.json):   18.x",
    "-----> Installing dependencies",
    "       Installing node modules (package.json + package-lock)",
    "-----> Build",
    "       Running build",
    "-----> Caching build",
    "-----> Pruning devDependencies",
    "-----> Discovering process types",
    "       Procfile declares types -> web",
    "-----> Compressing...",
  ]) expect(first.lines).toContain(line);
  // The host's node is not what engines.node asks for: a warning, and the build goes on.
  expect(text).toContain(' !     engines.node in package.json asks for "18.x", but this build uses the host\'s node');
  expect(first.lines.at(-1)).toMatch(/^ {7}Done: \d+K$/);
  expect(first.result).toMatchObject({ processTypes: { web: "node server.js" }, stack: "heroku-24", buildpacks: [{ name: "heroku/nodejs" }] });

  // The build script saw NODE_ENV=production and its devDependency; the slug has it pruned.
  expect(JSON.parse(readFileSync(join(first.slugDir, "dist/build.json"), "utf8"))).toEqual({ nodeEnv: "production", devDependencyWorked: true });
  expect(existsSync(join(first.slugDir, "node_modules/is-number"))).toBe(false);
  expect(existsSync(join(first.slugDir, "node_modules/ms"))).toBe(true);

  // The slug runs from elsewhere: .profile.d puts node (a link to the host's) on PATH.
  const moved = await copySlug(first.slugDir);
  const run = await runInSlug(moved, "command -v node; node server.js && npm start --silent");
  expect(run.code).toBe(0);
  const [nodePath, ...outputs] = run.stdout.split("\n");
  expect(nodePath).toBe(join(moved, ".heroku/node/bin/node"));
  for (const out of outputs) expect(JSON.parse(out)).toEqual({ ms: "1m", escaped: "&lt;a&gt;", dev: "pruned", nodeEnv: "production" });

  // Unchanged package.json and lockfile: node_modules comes from the cache, npm installs nothing.
  const again = await build(fixture("node-app"), { cacheDir: first.cacheDir });
  expect(again.error).toBeUndefined();
  expect(again.lines).toContain("       Using the cached node_modules: package.json and the lockfile are unchanged");
  expect(again.lines).not.toContain("-----> Caching build");
  expect(existsSync(join(again.slugDir, "node_modules/is-number"))).toBe(false);
  expect(JSON.parse(readFileSync(join(again.slugDir, "dist/build.json"), "utf8")).devDependencyWorked).toBe(true);
  // How fast that is belongs to bench/deploy.ts (re-push under 3 s), not to a timed test.
});

test("a yarn.lock app gets yarn 1 from the npm registry; yarn runs the build and the slug", async () => {
  const built = await build(fixture("yarn-app"));
  expect(built.error).toBeUndefined();
  for (const line of ["       Installing yarn 1.22.22 from the npm registry", "       Installing node modules (yarn.lock)", "       yarn build ran", "-----> Pruning devDependencies"]) {
    expect(built.lines).toContain(line);
  }
  expect(existsSync(join(built.slugDir, "node_modules/is-number"))).toBe(false);
  const run = await runInSlug(await copySlug(built.slugDir), "command -v yarn; yarn --silent start");
  expect(run.stdout.split("\n")).toEqual([expect.stringMatching(/\/\.heroku\/yarn\/bin\/yarn$/), "1s"]);
});
