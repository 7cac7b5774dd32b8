/**
 * A bounded, seeded fuzz of hoku's input handling: mutated Procfiles, env files and app.json
 * files go to the pure parsers (hundreds of cases) and to the real `hoku check` (dozens, some
 * with files swapped for a directory, a FIFO or /dev/zero). Asserted for every case: no
 * uncaught exception, no case over 2 s, and every NUL, oversized or non-regular input
 * rejected with a message naming the file. A failing case prints its seed and index.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { parseAppJson } from "../../src/app/app-json.ts";
import { parseEnvFile } from "../../src/app/env-file.ts";
import { parseProcfile } from "../../src/app/procfile.ts";
import { MAX_INPUT_BYTES } from "../../src/platform/read-input.ts";
import { makeApp, runHoku } from "../helpers/hoku.ts";

const SEED = 20261201;

/** mulberry32: a small seeded PRNG, so every run sees the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES = {
  Procfile: "# app\nweb: bundle exec puma -p $PORT\nworker: node worker.js --queue=default\nrelease: ./bin/migrate\n",
  ".env": 'export A=1\nB="two words # not a comment"\nC=\'$A literal\'\nD=${A}-$B\nE="multi\nline"\n# comment\n',
  "app.json": JSON.stringify({
    name: "fuzz",
    env: { SECRET: { generator: "secret" }, URL: { value: "https://x" }, NEED: { required: true } },
    formation: { web: { quantity: 1, size: "basic" } },
    addons: ["heroku-postgresql", { plan: "heroku-redis:mini", as: "CACHE", options: { tls: true } }],
  }, null, 2),
} as const;
type FileName = keyof typeof SAMPLES;

const PIECES = ["\0", "\r", "\n", "\r\n", '"', "'", "$", "${", "}", "{", "[", "]", ":", "=", "#", " ", "\t", "\\", "\uFEFF", "é", "💥", "export ", "web:", "${A}${A}", ",", "null", "1e300", "-1"];

/** One mutation of `text`: insert, delete, duplicate, or a long run of one piece. */
function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  switch (Math.floor(random() * 5)) {
    case 0:
      return text.slice(0, at) + pick(PIECES) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
    case 2: {
      const end = Math.min(text.length, at + Math.floor(random() * 40));
      return text.slice(0, end) + text.slice(at, end).repeat(1 + Math.floor(random() * 50)) + text.slice(end);
    }
    case 3:
      return text.slice(0, at) + pick(PIECES).repeat(1 + Math.floor(random() * 20_000)) + text.slice(at);
    default:
      return text.slice(0, at) + pick(["[", "{\"a\":"]).repeat(1 + Math.floor(random() * 5_000)) + text.slice(at);
  }
}

function mutated(name: FileName, random: () => number): string {
  let text: string = SAMPLES[name];
  const rounds = 1 + Math.floor(random() * 4);
  for (let i = 0; i < rounds; i++) text = mutate(text, random);
  return text;
}

/** Runs `fn` and fails with the case's identity when it throws or takes over 2 s. */
function bounded(what: string, fn: () => unknown): void {
  const started = performance.now();
  try {
    fn();
  } catch (error) {
    throw new Error(`${what} threw: ${error instanceof Error ? error.stack : String(error)}`);
  }
  const ms = performance.now() - started;
  if (ms > 2000) throw new Error(`${what} took ${ms.toFixed(0)} ms`);
}

describe(`fuzz (seed ${SEED})`, () => {
  test("the pure parsers: 300 mutated files each, no exception, none over 2 s", () => {
    const random = prng(SEED);
    for (let i = 0; i < 300; i++) {
      const procfile = mutated("Procfile", random);
      const env = mutated(".env", random);
      const appJson = mutated("app.json", random);
      bounded(`parseProcfile case ${i}`, () => parseProcfile(procfile, "Procfile"));
      bounded(`parseEnvFile case ${i}`, () => parseEnvFile(env, ".env", { lookup: (key) => (key === "HOME" ? "/home/x" : undefined) }));
      bounded(`parseEnvFile --no-expand case ${i}`, () => parseEnvFile(env, ".env", { expand: false }));
      bounded(`parseAppJson case ${i}`, () => parseAppJson(appJson, "app.json"));
    }
  }, 60_000);

  test("hoku check: 60 mutated apps, some files not regular; exit 0 or 1, no stack trace, NUL / oversized / non-regular rejected", async () => {
    const random = prng(SEED + 1);
    const seen = { nul: 0, oversized: 0, swapped: 0, valid: 0 };
    for (let i = 0; i < 60; i++) {
      const maybe = (name: FileName) => (random() < 0.5 ? SAMPLES[name] : mutated(name, random));
      const files = { Procfile: maybe("Procfile"), ".env": maybe(".env"), "app.json": maybe("app.json") };
      if (random() < 0.1) files[".env"] += `BIG=${"x".repeat(MAX_INPUT_BYTES)}\n`;
      const dir = makeApp(files);
      const swapped = random() < 0.2 ? (["Procfile", ".env", "app.json"] as const)[Math.floor(random() * 3)]! : undefined;
      const swap = Math.floor(random() * 3);
      if (swapped) {
        rmSync(join(dir, swapped));
        if (swap === 0) mkdirSync(join(dir, swapped));
        else if (swap === 1) Bun.spawnSync(["mkfifo", join(dir, swapped)]);
        else symlinkSync("/dev/zero", join(dir, swapped));
      }
      const started = performance.now();
      const { code, stderr } = await runHoku(["check"], { cwd: dir });
      const what = `case ${i} (${dir})`;
      expect(performance.now() - started, what).toBeLessThan(8000); // no hang on a FIFO or /dev/zero
      expect([0, 1], what).toContain(code);
      expect(stderr, what).not.toMatch(/^\s+at |Bun v\d/m);
      for (const [name, text] of Object.entries(files)) {
        if (name === swapped) continue;
        const oversized = Buffer.byteLength(text) > MAX_INPUT_BYTES;
        if (oversized) expect(stderr, `${what}: ${name} oversized`).toContain(`${name}: is `);
        else if (text.includes("\0")) expect(stderr, `${what}: NUL in ${name}`).toMatch(new RegExp(`^${name.replace(".", "\\.")}(:\\d+)?: contains a NUL byte`, "m"));
        if (oversized || text.includes("\0")) expect(code, what).toBe(1);
        if (oversized) seen.oversized++;
        else if (text.includes("\0")) seen.nul++;
      }
      if (swapped) seen.swapped++;
      if (code === 0) seen.valid++;
      if (swapped) {
        expect(code, what).toBe(1);
        expect(stderr, what).toContain(`${swapped}: is a ${["directory", "FIFO", "character device"][swap]}`);
      }
      rmSync(dir, { recursive: true, force: true });
    }
    // The seeded cases reach every kind of bad input, and some valid apps too.
    expect(seen.nul).toBeGreaterThan(2);
    expect(seen.oversized).toBeGreaterThan(2);
    expect(seen.swapped).toBeGreaterThan(5);
    expect(seen.valid).toBeGreaterThan(0);
  }, 60_000);
});
