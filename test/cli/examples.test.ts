/**
 * The README's demo: examples/hello under `hoku start`, as a new user runs it (`npm run demo`).
 * Locally the app has no DYNO (heroku local sets PS) and app.json's env is not applied, so
 * the greeting and the secret come from the example's .env.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { freeBase, removeTempDirs, Running, tempDir, testEnv } from "../helpers/hoku.ts";

const HELLO = resolve(import.meta.dir, "../../examples/hello");

afterAll(removeTempDirs);

describe("examples/hello", () => {
  test("under hoku start (embedded add-ons), web.1 answers with its name, the .env greeting and its database; the worker has its secret", async () => {
    const dir = join(tempDir("hoku-example-"), "hello");
    cpSync(HELLO, dir, { recursive: true });
    const base = await freeBase();
    const hoku = new Running(["start", "--no-tui", "--color", "never", "--addons", "embedded", "-p", String(base)], { cwd: dir, env: testEnv() });
    try {
      await hoku.waitFor(/web\.1 State changed from starting to up/, 60_000);
      await hoku.waitFor(/worker\.1 +\| worker worker\.1 starting; secret is set/);
      const body = await (await fetch(`http://127.0.0.1:${base}/`)).text();
      expect(body).toStartWith("Hello from web.1 (hello from .env)\nDATABASE_URL: postgres://");
    } finally {
      hoku.signal("SIGTERM");
      expect(await hoku.exited).toBe(143);
    }
  }, 90_000);
});
