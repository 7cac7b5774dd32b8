/**
 * What a dyno's life is bounded by, beyond its own exit. Daily cycling (DY-7; Dev Center:
 * dyno-restarts): every dyno, one-off dynos included, is restarted a day (plus up to 216
 * minutes) after it started, logging `Cycling` and then a restart's lines. Memory (DY-9; Dev
 * Center: dyno-memory-behavior): over the quota is R14 and the dyno runs on; twice it is R15
 * and SIGKILL. Its own platform, with `--cycle 8s --memory-quota 50` as a lab would set them.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform(["--cycle", "8s", "--memory-quota", "50", "--shutdown-timeout", "2s"]);
});
afterAll(async () => {
  await platform?.stop();
});

/** The heroku[<dyno>] lines of the logs, without their timestamps. */
const lifecycle = (logs: string, dyno: string) =>
  logs
    .split("\n")
    .filter((line) => line.includes(` heroku[${dyno}]: `))
    .map((line) => line.slice(line.indexOf(": ") + 2));

test("each formation dyno is cycled after --cycle with Heroku's restart lines, and comes back up; a one-off dyno's cycle ends it", async () => {
  const app = "cycling-app";
  const dir = gitApp({ Procfile: "web: python3 -m http.server $PORT\nworker: sleep 600\n" }, platform.env);
  expect((await platform.hoku(["apps:create", app], { cwd: dir })).code).toBe(0);
  expect((await push(dir, platform.env)).code).toBe(0);
  expect((await platform.hoku(["ps:scale", "worker=1", "-a", app])).code).toBe(0);
  await platform.served(app, /^200 /);
  const detached = await platform.hoku(["run:detached", "-a", app, "sleep 600"]);
  const oneOff = /(run\.\d+)/.exec(detached.stdout + detached.stderr)![1]!;

  const formation = [
    ["web.1", "python3 -m http.server $PORT"],
    ["worker.1", "sleep 600"],
  ] as const;
  const cycledOnce = (logs: string, dyno: string) => {
    const lines = lifecycle(logs, dyno);
    return lines.slice(lines.indexOf("Cycling"));
  };
  const logs = await platform.logsUntil(app, (text) => lifecycle(text, oneOff).includes("Process exited with status 143") && formation.every(([dyno]) => cycledOnce(text, dyno).length >= 6), 30_000);
  for (const [dyno, command] of formation) {
    expect(lifecycle(logs, dyno).indexOf("Cycling")).toBeGreaterThan(0);
    expect(cycledOnce(logs, dyno).slice(0, 6)).toEqual([
      "Cycling",
      "State changed from up to starting",
      "Stopping all processes with SIGTERM",
      "Process exited with status 143",
      `Starting process with command \`${command}\``,
      "State changed from starting to up",
    ]);
  }
  await platform.served(app, /^200 /);
  const oneOffLines = lifecycle(logs, oneOff);
  expect(oneOffLines.slice(oneOffLines.indexOf("Cycling"))).toEqual(["Cycling", "Stopping all processes with SIGTERM", "Process exited with status 143", "State changed from up to complete"]);
  expect(oneOffLines.filter((line) => line.startsWith("Starting process"))).toHaveLength(1);
  expect((await platform.hoku(["ps", "-a", app])).stdout).not.toContain(oneOff);
}, 90_000);

test("--cycle and --memory-quota out of range are refused with the range", async () => {
  const cycle = await platform.hoku(["platform", "--cycle", "0s", "--port", "1"]);
  expect(cycle.code).toBe(1);
  expect(cycle.stderr).toContain("--cycle 0s is out of range");
  expect(cycle.stderr).toContain("hint: give 1s to 480h (Heroku cycles dynos daily: 24h)");
  const memory = await platform.hoku(["platform", "--memory-quota", "half", "--port", "1"]);
  expect(memory.code).toBe(1);
  expect(memory.stderr).toContain("--memory-quota half is not a number of megabytes");
});

test("a dyno over its memory quota logs R14 and runs on; one at twice the quota logs R15, is killed with SIGKILL and crashes", async () => {
  const app = "memory-app";
  const hog = 'import sys, time\nheld = b"x" * (int(sys.argv[1]) * 2**20)\nprint("holding", len(held) // 2**20, "MB", flush=True)\ntime.sleep(600)\n';
  const dir = gitApp({ Procfile: "over: python3 hog.py 75\nfar: python3 hog.py 150\n", "hog.py": hog }, platform.env);
  expect((await platform.hoku(["apps:create", app], { cwd: dir })).code).toBe(0);
  expect((await push(dir, platform.env)).code).toBe(0);
  expect((await platform.hoku(["ps:scale", "over=1", "far=1", "-a", app])).code).toBe(0);
  const logs = await platform.logsUntil(app, (text) => lifecycle(text, "over.1").includes("Error R14 (Memory quota exceeded)") && lifecycle(text, "far.1").includes("Process exited with status 137"), 30_000);
  const over = lifecycle(logs, "over.1");
  const r14 = over.indexOf("Error R14 (Memory quota exceeded)");
  expect(over[r14 - 1]).toMatch(/^Process running mem=(7[5-9]|8\d|9\d)M\(1[5-9]\d\.\d%\)$/);
  expect(over.slice(r14)).not.toContain("Error R15 (Memory quota vastly exceeded)");
  expect(over.slice(r14)).not.toContain("State changed from up to crashed");
  const far = lifecycle(logs, "far.1");
  const r15 = far.indexOf("Error R15 (Memory quota vastly exceeded)");
  expect(far[r15 - 1]).toMatch(/^Process running mem=1[5-7]\dM\(3\d\d\.\d%\)$/);
  expect(far.slice(r15, r15 + 4)).toEqual(["Error R15 (Memory quota vastly exceeded)", "Stopping process with SIGKILL", "Process exited with status 137", "State changed from up to crashed"]);
}, 60_000);
