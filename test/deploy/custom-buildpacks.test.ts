// Classic buildpacks that are not built in run unchanged: from a folder, a file:// URL, a .tgz
// or a git repo; several chain through their export files; ENV_DIR, CACHE_DIR and bin/release
// behave as Heroku's buildpack API says (BP-1..BP-4).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeApp, tempDir } from "../helpers/hoku.ts";
import { build, fixture, runInSlug } from "./helpers.ts";

const RECORDER = fixture("buildpacks/recorder");
const CHAINED = fixture("buildpacks/chained");
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

async function sh(command: string, cwd: string): Promise<void> {
  const proc = Bun.spawn(["bash", "-c", command], { cwd, stdout: "ignore", stderr: "pipe" });
  if ((await proc.exited) !== 0) throw new Error(`${command}: ${await new Response(proc.stderr).text()}`);
}

test("a buildpack in a local folder gets BUILD CACHE ENV, ENV_DIR files, a kept cache, and its release read", async () => {
  const app = makeApp({ "recorder.txt": "", "Procfile": "worker: echo from procfile\n" });
  const env = { FOO: "bar", MULTI_LINE: "a\nb", DATABASE_URL: "postgres://u:p@h/db" };
  const first = await build(app, { buildpacks: [RECORDER], env });
  expect(first.error).toBeUndefined();
  expect(first.lines.slice(0, 4)).toEqual(["-----> Building on the Heroku-24 stack", `-----> Using buildpack: ${RECORDER}`, "-----> Recorder app detected", "-----> Recording the build"]);
  // bin/compile BUILD CACHE ENV, run in BUILD (/tmp/build_<hex>); its stderr is in the transcript too.
  expect(first.lines[4]).toMatch(/^ {7}args: 3 build=build_[0-9a-f]{32} cwd-is-build=yes$/);
  expect(first.lines[5]).toBe("recorder stderr line");
  // ENV_DIR: one file per config var, values as they are; nothing exported.
  expect(read(first.slugDir, "recorded/env-dir.txt")).toBe("DATABASE_URL=postgres://u:p@h/db\nFOO=bar\nMULTI_LINE=a\nb\n");
  expect(read(first.slugDir, "recorded/environment.txt")).toBe("FOO in environment: unset\nSTACK=heroku-24\n");
  // The Procfile wins over default_process_types; the other defaults stay.
  expect(first.result?.processTypes).toEqual({ web: "echo recorder web", worker: "echo from procfile" });
  expect(first.lines).toContain("       Procfile declares types     -> worker");
  expect(first.lines).toContain("       Default types for buildpack -> web");
  expect(first.result?.buildpacks).toEqual([{ name: RECORDER, url: RECORDER }]);
  // config_vars reach the dyno through .profile.d, without overriding the app's own config vars.
  const run = await runInSlug(first.slugDir, 'echo "$RECORDER_MODE|$QUOTED|$RECORDER_PROFILE"; RECORDER_MODE=mine bash -c \'for f in .profile.d/*.sh; do . "$f"; done; echo $RECORDER_MODE\'');
  expect(run.stdout).toBe("on|it's $HOME|loaded\nmine");

  const second = await build(app, { buildpacks: [`file://${RECORDER}`], env, cacheDir: first.cacheDir });
  expect(second.error).toBeUndefined();
  expect(read(second.slugDir, "recorded/build-number.txt")).toBe("2\n");
});

test("buildpacks chain: a later one sees what an earlier one exported; the last one's defaults win", async () => {
  const app = makeApp({ "recorder.txt": "" });
  const built = await build(app, { buildpacks: [RECORDER, CHAINED] });
  expect(built.error).toBeUndefined();
  expect(built.lines.slice(1, 4)).toEqual(["-----> Using buildpacks:", `       1. ${RECORDER}`, `       2. ${CHAINED}`]);
  expect(built.lines).toContain("-----> Chained app detected");
  expect(read(built.slugDir, "chained.txt")).toMatch(/^RECORDER_HOME=.*\/build_[0-9a-f]{32}\/recorded\n$/);
  expect(built.result?.processTypes).toEqual({ web: "echo chained web" });
  expect(built.lines).toContain("       Procfile declares types     -> (none)");
  expect(built.lines).toContain("       Default types for buildpack -> web");
  expect(built.result?.buildpacks.map((bp) => bp.name)).toEqual([RECORDER, CHAINED]);
});

test("a buildpack as a .tgz, a bare git repo and a git repo at a branch; .buildpacks lists them", async () => {
  const work = tempDir("hoku-bp-");
  await sh(`tar -czf recorder.tgz -C ${JSON.stringify(join(RECORDER, ".."))} recorder`, work);
  const git = "git -c user.email=t@example.com -c user.name=t -c init.defaultBranch=main";
  await sh(`cp -a ${JSON.stringify(RECORDER)} repo && cd repo && ${git} init -q && ${git} add -A && ${git} commit -qm v1 && ${git} branch stable && ${git} clone -q --bare . ../bare.git`, work);

  const app = makeApp({ "recorder.txt": "" });
  for (const ref of [join(work, "recorder.tgz"), `file://${work}/recorder.tgz`, join(work, "bare.git"), `file://${work}/repo#stable`]) {
    const built = await build(app, { buildpacks: [ref] });
    expect({ ref, error: built.error?.message }).toEqual({ ref, error: undefined });
    expect(built.lines).toContain("-----> Recorder app detected");
  }

  const listed = makeApp({ "recorder.txt": "", ".buildpacks": `# the app's buildpacks\n${join(work, "recorder.tgz")}\n\n${CHAINED}\n` });
  const built = await build(listed);
  expect(built.lines.slice(1, 4)).toEqual(["-----> Using buildpacks:", `       1. ${join(work, "recorder.tgz")}`, `       2. ${CHAINED}`]);
  expect(read(built.slugDir, "chained.txt")).toMatch(/recorded/);
});

test("a buildpack whose bin/detect says no fails the push, naming it", async () => {
  const built = await build(makeApp({ "index.txt": "" }), { buildpacks: [RECORDER] });
  expect(built.error?.step).toBe(`detect of ${RECORDER}`);
  expect(built.lines).toContain(`-----> App not compatible with buildpack: ${RECORDER}`);
  expect(built.lines).toContain("no recorder.txt here");
  expect(built.lines.slice(-2)).toEqual(["", " !     Push failed"]);
});
