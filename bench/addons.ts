/**
 * Benchmark: how long heroku-postgresql takes to be ready (answers `select 1`) per
 * provider, as hoku reports it ("ready in N s"), via `hoku run --addons <provider> true`.
 * The first run of each provider creates the database (cold); the next ones reuse it
 * (warm, median of HOKU_BENCH_RUNS, default 3). Docker uses HOKU_BENCH_PG_IMAGE
 * (default hoku-test/postgres:15, built by test/images/build.sh) since nothing can be pulled.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const HOKU = resolve(import.meta.dir, "../dist/hoku");
const RUNS = Number(process.env.HOKU_BENCH_RUNS) || 3;
const IMAGE = process.env.HOKU_BENCH_PG_IMAGE ?? "hoku-test/postgres:15";

async function readyOnce(dir: string, provider: string, env: Record<string, string>): Promise<number | string> {
  const proc = Bun.spawn([HOKU, "run", "--addons", provider, "true"], { cwd: dir, env, stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  const ready = /ready in ([\d.]+) s/.exec(stderr);
  if (code !== 0 || !ready) return stderr.trim().split("\n").slice(-2).join(" ");
  return Number(ready[1]) * 1000;
}

async function main() {
  const state = mkdtempSync(join(tmpdir(), "hoku-bench-state-"));
  const env: Record<string, string> = { ...(process.env as Record<string, string>), XDG_STATE_HOME: state, TESTCONTAINERS_RYUK_DISABLED: "true" };
  env.PATH = `${env.PATH}:/usr/lib/postgresql/17/bin:/usr/lib/postgresql/16/bin:/usr/lib/postgresql/15/bin`;
  console.log(`\nheroku-postgresql ready time per provider (hoku's own "ready in"), warm = median of ${RUNS}\n`);
  console.log("| provider | cold (creates the database) | warm |\n|---|---:|---:|");
  for (const provider of ["docker", "native", "embedded"]) {
    const dir = mkdtempSync(join(tmpdir(), `hoku-bench-pg-${provider}-`));
    writeFileSync(join(dir, "app.json"), JSON.stringify({ name: `bench-${provider}`, addons: ["heroku-postgresql"] }));
    writeFileSync(join(dir, "hoku.json"), JSON.stringify({ images: { "heroku-postgresql": IMAGE } }));
    const cold = await readyOnce(dir, provider, env);
    if (typeof cold === "string") {
      console.log(`| ${provider} | not available: ${cold.slice(0, 120)} | - |`);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ms = await readyOnce(dir, provider, env);
      if (typeof ms === "number") warm.push(ms);
    }
    warm.sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)];
    console.log(`| ${provider} | ${cold.toFixed(0)} ms | ${median === undefined ? "-" : `${median.toFixed(0)} ms`} |`);
    Bun.spawnSync([HOKU, "addons:destroy", "DATABASE", "--confirm", `bench-${provider}`], { cwd: dir, env });
    rmSync(dir, { recursive: true, force: true });
  }
  rmSync(state, { recursive: true, force: true });
}

await main();
