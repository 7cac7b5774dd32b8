/**
 * Daily cycling (DY-7; Dev Center: dyno-restarts): every dyno, one-off dynos included, is
 * restarted a day (plus up to 216 minutes) after it started, logging `Cycling` and then a
 * restart's lines. Its own platform, with `--cycle 3s` as a lab would shorten it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { gitApp, push, startTestPlatform, type TestPlatform } from "../helpers/platform.ts";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform(["--cycle", "3s", "--shutdown-timeout", "2s"]);
});
afterAll(async () => {
  await platform?.stop();
});

async function logsUntil(app: string, done: (logs: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = (await platform.hoku(["logs", "-n", "1500", "-a", app])).stdout;
    if (done(text)) return text;
    await Bun.sleep(300);
  }
  throw new Error(`the logs of ${app} never showed what was waited for:\n${text}`);
}

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
  const logs = await logsUntil(app, (text) => lifecycle(text, oneOff).includes("Process exited with status 143") && formation.every(([dyno]) => cycledOnce(text, dyno).length >= 6));
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
  const ended = oneOffLines.slice(oneOffLines.indexOf("Cycling"));
  expect(ended[0]).toBe("Cycling");
  expect(ended).toContain("Stopping all processes with SIGTERM");
  expect(ended).toContain("Process exited with status 143");
  expect(ended.at(-1)).toMatch(/^State changed from \w+ to complete$/);
  expect(oneOffLines.filter((line) => line.startsWith("Starting process"))).toHaveLength(1);
  expect((await platform.hoku(["ps", "-a", app])).stdout).not.toContain(oneOff);
}, 90_000);

test("--cycle out of range is refused with the range", async () => {
  const { code, stderr } = await platform.hoku(["platform", "--cycle", "0s", "--port", "1"]);
  expect(code).toBe(1);
  expect(stderr).toContain("--cycle 0s is out of range");
  expect(stderr).toContain("hint: give 1s to 480h (Heroku cycles dynos daily: 24h)");
});
