/**
 * Pushes of real language apps through the built-in buildpacks, with their dependencies from
 * the reachable registries: the Node and Python examples of this repository, and a custom
 * classic buildpack from a local folder (buildpacks:set). One platform for the file.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { git, gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";
import { tempDir } from "../helpers/hoku.ts";

const EXAMPLES = resolve(import.meta.dir, "../../examples");

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

/** A copy of an example committed in a fresh repository. */
function example(name: string): string {
  const files: Record<string, string> = {};
  const root = join(EXAMPLES, name);
  for (const file of readdirSync(root, { recursive: true }) as string[])
    if (statSync(join(root, file)).isFile() && !file.includes("node_modules")) files[file] = Bun.file(join(root, file)).toString();
  const dir = tempDir(`hoku-${name}-`);
  cpSync(root, dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  git(dir, platform.env, ["init", "-q", "-b", "main"]);
  git(dir, platform.env, ["add", "-A"]);
  git(dir, platform.env, ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "example"]);
  return dir;
}


describe("examples deploy with git push hoku main", () => {
  test("examples/node-app: Node.js detected, npm installs express, web serves", async () => {
    const dir = example("node-app");
    expect((await platform.hoku(["apps:create", "node-example"], { cwd: dir })).code).toBe(0);
    const pushed = await push(dir, platform.env);
    expect(pushed.out).toContain("remote: -----> Node.js app detected");
    expect(pushed.out).toContain("remote:        Released v3");
    expect(pushed.code).toBe(0);
    expect(await platform.served("node-example", /^200 Hello from web\.1/)).toContain("GREETING=unset");
  }, 180_000);

  test("examples/python-app: Python detected, pip installs Flask and gunicorn, web serves", async () => {
    const dir = example("python-app");
    expect((await platform.hoku(["apps:create", "python-example"], { cwd: dir })).code).toBe(0);
    const pushed = await push(dir, platform.env);
    expect(pushed.out).toContain("remote: -----> Python app detected");
    expect(pushed.code).toBe(0);
    expect(await platform.served("python-example", /^200 Hello from web\.1/)).toContain("GREETING=unset");
  }, 240_000);

  test("a custom classic buildpack from a local folder (buildpacks:set), with ENV_DIR holding the config vars", async () => {
    const buildpack = gitApp(
      {
        "bin/detect": "#!/usr/bin/env bash\necho Custom\n",
        "bin/compile": '#!/usr/bin/env bash\necho "-----> Compiling with the custom buildpack"\necho "greeting from ENV_DIR: $(cat "$3/GREETING")"\nprintf \'#!/usr/bin/env bash\\necho "built by custom, greeting=$GREETING"\\n\' > "$1/run.sh"\nchmod +x "$1/run.sh"\n',
        "bin/release": '#!/usr/bin/env bash\nprintf -- "---\\ndefault_process_types:\\n  web: ./run.sh && exec python3 -m http.server \\$PORT\\n"\n',
      },
      platform.env,
    );
    const dir = gitApp({ "index.html": "custom\n" }, platform.env);
    expect((await platform.hoku(["apps:create", "custom-app"], { cwd: dir })).code).toBe(0);
    expect((await platform.hoku(["config:set", "GREETING=from-config", "-a", "custom-app"])).code).toBe(0);
    const set = await platform.hoku(["buildpacks:set", `file://${buildpack}`, "-a", "custom-app"]);
    expect(set.stdout).toContain(`Buildpack set. Next release on ⬢ custom-app will use file://${buildpack}.`);
    const pushed = await push(dir, platform.env);
    expect(pushed.out).toContain("remote: -----> Compiling with the custom buildpack");
    expect(pushed.out).toContain("remote: greeting from ENV_DIR: from-config");
    expect(pushed.code).toBe(0);
    expect(await platform.served("custom-app", /^200 custom/)).toBeTruthy();
    const logs = await platform.hoku(["logs", "-n", "200", "-a", "custom-app", "-d", "web.1"]);
    expect(logs.stdout).toContain("built by custom, greeting=from-config");
  }, 120_000);
});
