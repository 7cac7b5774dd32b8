/**
 * Which dyno gets a request (RT-1): a random one of those `up`, never one starting,
 * crashed or stopping; a dyno that refuses the connection is passed over for another.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { anyFreePort } from "../../src/runtime/port-probe.ts";
import { fieldsOf, startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

/** A dyno that counts its requests and answers with its name. */
function countingDyno(name: string) {
  const counter = { hits: 0 };
  const server = startDyno(() => {
    counter.hits++;
    return new Response(name);
  });
  return Object.assign(counter, { server });
}

describe("balancing", () => {
  test("both up dynos get traffic, at random; starting, crashed and stopping ones get none", async () => {
    const [one, two, starting, crashed, stopping] = ["web.1", "web.2", "web.3", "web.4", "web.5"].map(countingDyno);
    const routed = startRouted({
      demo: {
        released: true,
        webDynos: [web("web.1", one!.server), web("web.2", two!.server), web("web.3", starting!.server, "starting"), web("web.4", crashed!.server, "crashed"), web("web.5", stopping!.server, "stopping")],
      },
    });
    let requests = 0;
    while ((one!.hits === 0 || two!.hits === 0) && requests < 200) {
      const response = await fetch(routed.url("demo"));
      expect(["web.1", "web.2"]).toContain(await response.text());
      requests++;
    }
    expect(one!.hits).toBeGreaterThan(0);
    expect(two!.hits).toBeGreaterThan(0);
    expect(starting!.hits + crashed!.hits + stopping!.hits).toBe(0);
    const lines = await routed.linesAfter(requests);
    expect(new Set(lines.map((line) => fieldsOf(line).dyno))).toEqual(new Set(["web.1", "web.2"]));
  });

  test("a dyno whose port refuses connections is retried on the other up dyno", async () => {
    const alive = countingDyno("web.2");
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", anyFreePort()), web("web.2", alive.server)] } });
    for (let i = 0; i < 20; i++) {
      const response = await fetch(routed.url("demo"));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("web.2");
    }
    const lines = await routed.linesAfter(20);
    expect(lines).toHaveLength(20);
    for (const line of lines) expect(fieldsOf(line)).toMatchObject({ at: "info", dyno: "web.2", status: "200" });
  });

  test("a POST body still goes whole to the other dyno after a refusal", async () => {
    const dyno = startDyno(async (request) => new Response(`got ${(await request.text()).length}`));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", anyFreePort()), web("web.2", dyno)] } });
    for (let i = 0; i < 10; i++) {
      const response = await fetch(routed.url("demo"), { method: "POST", body: "x".repeat(100_000) });
      expect(await response.text()).toBe("got 100000");
    }
  });
});
