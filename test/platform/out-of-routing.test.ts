/**
 * Dynos taken out of routing while they stop (pure; the router is a stand-in that counts what it
 * is told): a port stays out until every stop that took it out has put it back.
 */
import { expect, test } from "bun:test";
import { OutOfRouting } from "../../src/platform/out-of-routing.ts";

test("two overlapping stops of one dyno: the port stays out of routing until the second has finished", async () => {
  let published = 0;
  const out = new OutOfRouting({ routesChanged: async () => void published++, drained: async () => {} });
  let finishFirst!: () => void;
  let finishSecond!: () => void;
  const first = out.stopping([5001], () => new Promise<void>((resolve) => (finishFirst = resolve)));
  const second = out.stopping([5001], () => new Promise<void>((resolve) => (finishSecond = resolve)));
  await Bun.sleep(10);
  expect(out.has(5001)).toBe(true);
  finishFirst();
  await first;
  expect(out.has(5001)).toBe(true);
  finishSecond();
  await second;
  expect(out.has(5001)).toBe(false);
  // The router heard of each change: two take-outs and two put-backs.
  expect(published).toBe(4);
});

test("a stop waits for the dyno's requests in flight, at most maxWaitMs", async () => {
  const out = new OutOfRouting({ routesChanged: async () => {}, drained: () => new Promise(() => {}) }, 100);
  const started = performance.now();
  let stopped = false;
  await out.stopping([5002], async () => void (stopped = true));
  expect(stopped).toBe(true);
  expect(performance.now() - started).toBeGreaterThanOrEqual(95);
});

test("a stop that the dyno comes back from (a restart) marks its port returning until it is put back; a scale-down's does not", async () => {
  const out = new OutOfRouting({ routesChanged: async () => {}, drained: async () => {} });
  let finish!: () => void;
  let finishLeaving!: () => void;
  const restart = out.stopping([5001], () => new Promise<void>((resolve) => (finish = resolve)), { returning: true });
  const leaving = out.stopping([5002], () => new Promise<void>((resolve) => (finishLeaving = resolve)));
  await Bun.sleep(10);
  expect(out.returning(5001)).toBe(true);
  expect(out.has(5001)).toBe(true);
  expect(out.has(5002)).toBe(true);
  expect(out.returning(5002)).toBe(false);
  finishLeaving();
  await leaving;
  finish();
  await restart;
  expect(out.returning(5001)).toBe(false);
  expect(out.has(5001)).toBe(false);
});
