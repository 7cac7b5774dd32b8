/** R14 and R15 from one memory sample (DY-9; Dev Center: error-codes, dyno-memory-behavior). */
import { expect, test } from "bun:test";
import { judgeMemory, R14_EVERY_MS } from "../../src/runtime/memory-quota.ts";

const MB = 2 ** 20;
const quota = 512 * MB;

test("under the quota says nothing", () => {
  expect(judgeMemory(512 * MB, quota, 0)).toEqual({ lines: [], kill: false });
});

test("over it: Heroku's two R14 lines (`Process running mem=550M(107.5%)`), and the dyno keeps running", () => {
  expect(judgeMemory(550.5 * MB, quota, 0)).toEqual({ lines: ["Process running mem=551M(107.5%)", "Error R14 (Memory quota exceeded)"], kill: false });
});

test("R14 again only once 20 s have passed since the last one", () => {
  expect(judgeMemory(600 * MB, quota, 10_000, 0).lines).toEqual([]);
  expect(judgeMemory(600 * MB, quota, R14_EVERY_MS, 0).lines).toHaveLength(2);
});

test("at twice the quota: R15 and SIGKILL, whenever R14 was last said", () => {
  expect(judgeMemory(1030 * MB, quota, 1, 0)).toEqual({
    lines: ["Process running mem=1030M(201.2%)", "Error R15 (Memory quota vastly exceeded)", "Stopping process with SIGKILL"],
    kill: true,
  });
});
