/**
 * The state folder is refused, as ssh refuses ~/.ssh, when another user owns it, others can
 * write it, or it is a symlink: another local user must not plant records or secrets there.
 */
import { describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ensureOwnedDir } from "../../src/platform/state-dir.ts";
import { makeApp, runHoku, tempDir, testEnv } from "../helpers/hoku.ts";

describe("ensureOwnedDir", () => {
  test("creates a missing folder 0700", () => {
    const dir = join(tempDir("hoku-own-"), "hoku");
    ensureOwnedDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  test("refuses a folder others can write", () => {
    const dir = join(tempDir("hoku-own-"), "hoku");
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(() => ensureOwnedDir(dir)).toThrow(/can be written by other users \(mode 777\)/);
  });

  test("refuses a symlink where the folder should be", () => {
    const parent = tempDir("hoku-own-");
    mkdirSync(join(parent, "elsewhere"), { mode: 0o700 });
    symlinkSync(join(parent, "elsewhere"), join(parent, "hoku"));
    expect(() => ensureOwnedDir(join(parent, "hoku"))).toThrow(/is a symlink/);
  });

  test.skipIf(process.getuid?.() !== 0)("refuses a folder another user owns (as root: chown to nobody)", () => {
    const dir = join(tempDir("hoku-own-"), "hoku");
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    expect(() => ensureOwnedDir(dir)).toThrow(/belongs to another user \(uid 65534\)/);
  });
});

test("hoku start refuses a planted state folder, naming it and the fix, before anything runs", async () => {
  const shared = tempDir("hoku-shared-");
  mkdirSync(join(shared, "hoku"));
  chmodSync(join(shared, "hoku"), 0o777);
  const dir = makeApp({ Procfile: "web: touch started; exec sleep 60\n", "app.json": '{"addons": ["heroku-postgresql"]}' });
  const { code, stderr } = await runHoku(["start", "--addons", "embedded"], { cwd: dir, env: testEnv({ XDG_STATE_HOME: shared }) });
  expect(code).toBe(1);
  expect(stderr).toContain(`hoku: ${join(shared, "hoku")} can be written by other users (mode 777), so hoku will not use it`);
  expect(stderr).toContain("set XDG_STATE_HOME");
  expect(existsSync(join(dir, "started"))).toBe(false);
});
