// The built-in buildpacks ship inside the single binary and are written out, runnable, at run time.
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { builtinFolderName, builtinsHash } from "../../src/deploy/builtin-buildpacks.ts";
import { BUILTIN_BUILDPACKS } from "../../src/deploy/buildpacks/index.ts";
import { makeApp, tempDir } from "../helpers/hoku.ts";
import { build, fixture } from "./helpers.ts";

const SOURCE = resolve(import.meta.dir, "../../src/deploy/buildpacks");

test("every file under src/deploy/buildpacks is in the index, with its text", () => {
  // A buildpack's lib/x.sh is its own file if it has one, else the shared common/x.sh.
  const listed = new Map<string, string>();
  for (const { name, files } of BUILTIN_BUILDPACKS) {
    for (const [path, text] of Object.entries(files)) {
      const own = `${name.split("/")[1]}/${path}`;
      listed.set(existsSync(join(SOURCE, own)) ? own : `common/${path.replace(/^lib\//, "")}`, text);
    }
  }
  const onDisk = (readdirSync(SOURCE, { recursive: true }) as string[]).filter((path) => path !== "index.ts" && statSync(join(SOURCE, path)).isFile());
  expect([...listed.keys()].sort()).toEqual(onDisk.sort());
  for (const [file, text] of listed) expect({ file, text }).toEqual({ file, text: readFileSync(join(SOURCE, file), "utf8") });
});

test("a compiled binary writes the built-ins out, scripts executable, and runBuild uses the same folder", async () => {
  const outfile = join(tempDir("hoku-bin-"), "extract");
  const compiled = Bun.spawnSync([process.execPath, "build", "--compile", "--bytecode", fixture("extract-entry.ts"), "--outfile", outfile], { stderr: "pipe" });
  expect(compiled.stderr.toString()).not.toContain("error");
  expect(compiled.exitCode).toBe(0);

  const state = tempDir("hoku-state-");
  const ran = Bun.spawnSync([outfile, state], { cwd: tempDir("hoku-cwd-") });
  const dir = ran.stdout.toString().trim();
  expect(dir).toBe(join(state, "buildpacks", builtinsHash()));
  for (const { name, files } of BUILTIN_BUILDPACKS) {
    for (const [path, text] of Object.entries(files)) {
      const file = join(dir, builtinFolderName(name), path);
      expect(readFileSync(file, "utf8")).toBe(text);
      expect({ path: relative(dir, file), executable: (statSync(file).mode & 0o111) !== 0 }).toEqual({ path: relative(dir, file), executable: path.startsWith("bin/") });
    }
  }
  // A second run finds them there; a build with that state folder runs them from it.
  expect(Bun.spawnSync([outfile, state]).stdout.toString().trim()).toBe(dir);
  const built = await build(makeApp({ Procfile: "web: true\n" }), { stateDir: state });
  expect(built.error).toBeUndefined();
  expect(readdirSync(join(state, "buildpacks"))).toEqual([builtinsHash()]);
});
