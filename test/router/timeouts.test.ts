/**
 * The router's clocks (RT-3, RT-1), shortened to a few hundred milliseconds: H12 when no
 * response head comes within the request timeout of dispatch (the dyno's work goes on), H15
 * when a started response goes silent, H28 when the client takes nothing, H19 when a dyno's
 * connections do not open; a dyno that failed a connection is quarantined, and a request
 * finding every dyno quarantined waits for one, then H99.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { type AddressInfo, connect, createServer } from "node:net";
import { anyFreePort } from "../../src/runtime/port-probe.ts";
import { blackholedPort, fieldsOf, startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

const encoder = new TextEncoder();

describe("H12 Request timeout", () => {
  test("no response head within the request timeout: 503 and H12, while the dyno finishes its work", async () => {
    let finished = false;
    const dyno = startDyno(async () => {
      await Bun.sleep(900);
      finished = true;
      return new Response("too late");
    });
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } }, undefined, { requestMs: 300 });
    const started = performance.now();
    const response = await fetch(routed.url("demo"));
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("Application Error");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(850);
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^at=error code=H12 desc="Request timeout" method=GET path="\/" .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0 protocol=http$/);
    expect(Number(fieldsOf(line!).service!.replace("ms", ""))).toBeGreaterThanOrEqual(290);
    await Bun.sleep(800);
    expect(finished).toBe(true);
  });

  test("the clock starts at dispatch: time spent waiting for a booting dyno does not count", async () => {
    const dyno = startDyno(async () => {
      await Bun.sleep(150);
      return new Response("booted and answered");
    });
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno, "starting")] } }, 5000, { requestMs: 300 });
    setTimeout(() => routed.table.set("demo", { app: "demo", released: true, webDynos: [web("web.1", dyno, "up")] }), 400);
    const response = await fetch(routed.url("demo"));
    expect(await response.text()).toBe("booted and answered");
  });
});

describe("the request timeout and the upload (Dev Center: request-timeout)", () => {
  /** A raw client sending `chunks` of a body of `length` bytes, one every `gapMs`; resolves with what it got back. */
  function slowUpload(port: number, length: number, chunks: readonly string[], gapMs: number): Promise<string> {
    return new Promise((resolve) => {
      let answer = "";
      const client = connect(port, "127.0.0.1", async () => {
        client.write(`POST /upload HTTP/1.1\r\nHost: demo.localhost:${port}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
        for (const chunk of chunks) {
          await Bun.sleep(gapMs);
          if (client.destroyed) return;
          client.write(chunk);
        }
      });
      client.on("data", (data) => (answer += data.toString()));
      client.on("close", () => resolve(answer));
      client.on("error", () => {});
    });
  }

  test("the 30 s clock starts once the body has all gone: an upload slower than the request timeout is answered", async () => {
    const dyno = startDyno(async (request) => new Response(`got ${(await request.text()).length} bytes`));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } }, undefined, { requestMs: 300, idleMs: 2000 });
    const started = performance.now();
    const answer = await slowUpload(routed.port, 40, ["0123456789", "0123456789", "0123456789", "0123456789"], 150);
    expect(performance.now() - started).toBeGreaterThan(550); // longer than the request timeout
    expect(answer).toStartWith("HTTP/1.1 200");
    expect(answer).toEndWith("got 40 bytes");
    expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ at: "info", status: "200" });
  });

  test("then the dyno has the request timeout to answer: H12 counted from the body's last byte", async () => {
    const dyno = startDyno(async (request) => {
      await request.text();
      await Bun.sleep(5000);
      return new Response("too late");
    });
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } }, undefined, { requestMs: 300, idleMs: 2000 });
    const started = performance.now();
    const answer = await slowUpload(routed.port, 20, ["0123456789", "0123456789"], 250);
    expect(performance.now() - started).toBeGreaterThanOrEqual(790); // 2 x 250 ms of upload, then 300 ms
    expect(answer).toStartWith("HTTP/1.1 503");
    expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ code: "H12", status: "503" });
  });

  test("H28: a client that stops sending its body for the idle window is logged and its connection closed, with no answer (499 is the log's only)", async () => {
    let bodyEnded = false;
    const dyno = startDyno(async (request) => {
      await request.text().catch(() => "");
      bodyEnded = true;
      return new Response("read");
    });
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } }, undefined, { requestMs: 5000, idleMs: 300 });
    const started = performance.now();
    const client = connect(routed.port, "127.0.0.1", () => client.write(`POST /upload HTTP/1.1\r\nHost: demo.localhost:${routed.port}\r\nContent-Length: 100\r\n\r\n0123456789`));
    client.on("error", () => {});
    let answer = "";
    client.on("data", (chunk) => (answer += chunk));
    const closed = new Promise((resolve) => client.once("close", resolve));
    try {
      const [line] = await routed.linesAfter(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(line).toMatch(/^sock=client at=warning code=H28 desc="Client Connection Idle" method=POST path="\/upload" .* dyno=web\.1 connect=\d+ms service=\d+ms status=499 bytes=0 protocol=http$/);
      for (let waited = 0; !bodyEnded && waited < 3000; waited += 20) await Bun.sleep(20);
      expect(bodyEnded).toBe(true); // the dyno's request was ended, not left waiting
      expect(await Promise.race([closed.then(() => "closed"), Bun.sleep(3000).then(() => "still open")])).toBe("closed");
      expect(answer).toBe("");
    } finally {
      client.destroy();
    }
  });
  test("H15: a dyno that takes none of the body for the idle window", async () => {
    // A dyno that accepts the connection and never reads from it: once the kernel's buffers are full, nothing moves.
    const stuck = createServer((socket) => socket.pause());
    await new Promise<void>((resolve) => stuck.listen(0, "127.0.0.1", resolve));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", (stuck.address() as AddressInfo).port)] } }, undefined, { requestMs: 60_000, idleMs: 400 });
    const megabyte = Buffer.alloc(1024 * 1024, 97);
    const client = connect(routed.port, "127.0.0.1", async () => {
      client.write(`POST /upload HTTP/1.1\r\nHost: demo.localhost:${routed.port}\r\nContent-Length: ${256 * megabyte.length}\r\n\r\n`);
      for (let i = 0; i < 256 && !client.destroyed; i++) if (!client.write(megabyte)) await new Promise((resolve) => client.once("drain", resolve).once("close", resolve));
    });
    client.on("error", () => {});
    try {
      const [line] = await routed.linesAfter(1);
      expect(line).toMatch(/^at=error code=H15 desc="Idle connection" method=POST path="\/upload" .* dyno=web\.1 .* status=503 bytes=0 protocol=http$/);
    } finally {
      client.destroy();
      stuck.close();
    }
  });
});

describe("the idle window once a response has begun", () => {
  test("H15: a dyno silent for the idle window ends the client's transfer, logged H15", async () => {
    const dyno = startDyno(() => new Response(new ReadableStream({ start: (controller) => controller.enqueue(encoder.encode("data: first\n\n")) }), { headers: { "content-type": "text/event-stream" } }));
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } }, undefined, { idleMs: 300 });
    const response = await fetch(routed.url("demo"));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: first\n\n");
    const started = performance.now();
    const outcome = await reader.read().then((chunk) => (chunk.done ? "ended" : "more"), () => "broken");
    expect(outcome).not.toBe("more");
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^at=error code=H15 desc="Idle connection" method=GET .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=\d+ protocol=http$/);
  });

  test("H15 before the client has a byte: a dyno that stalls in a small body gets the client a 503 page", async () => {
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (socket) => void socket.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789") } });
    try {
      const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", listener.port)] } }, undefined, { idleMs: 300 });
      const response = await fetch(routed.url("demo"));
      expect(response.status).toBe(503);
      expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ code: "H15", dyno: "web.1", status: "503" });
    } finally {
      listener.stop(true);
    }
  });

  test("H28: a client that takes nothing for the idle window gets no more, logged H28, and the dyno's stream is stopped", async () => {
    let cancelled = false;
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const dyno = startDyno(
      () =>
        new Response(
          new ReadableStream({ pull: (controller) => controller.enqueue(chunk), cancel: () => void (cancelled = true) }, { highWaterMark: 0 }),
          { headers: { "content-type": "application/octet-stream" } },
        ),
    );
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno)] } }, undefined, { idleMs: 300 });
    // A raw client: it sends the request, reads the first bytes, then stops reading.
    const client = connect(routed.port, "127.0.0.1", () => client.write(`GET /big HTTP/1.1\r\nHost: demo.localhost:${routed.port}\r\n\r\n`));
    client.once("data", () => client.pause());
    client.on("error", () => {});
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^sock=client at=warning code=H28 desc="Client Connection Idle" method=GET path="\/big" .* dyno=web\.1 connect=\d+ms service=\d+ms status=499 bytes=\d+ protocol=http$/);
    for (let waited = 0; !cancelled && waited < 3000; waited += 20) await Bun.sleep(20);
    expect(cancelled).toBe(true);
    // Bun keeps a socket whose writes are blocked open until its client reads or leaves.
    client.destroy();
  });
});

describe("dyno connections", () => {
  test("H19: a dyno whose connections do not open within the connect timeout", async () => {
    const blackhole = await blackholedPort();
    try {
      const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", blackhole.port)] } }, undefined, { connectMs: 200 });
      const response = await fetch(routed.url("demo"));
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("Application Error");
      const [line] = await routed.linesAfter(1);
      expect(line).toMatch(/^at=error code=H19 desc="Backend connection timeout" method=GET .* dyno=web\.1 connect=\d+ms service= status=503 bytes= protocol=http$/);
    } finally {
      blackhole.close();
    }
  });

  test("a dyno that timed out is quarantined: later requests go straight to the other one", async () => {
    const blackhole = await blackholedPort();
    try {
      const good = startDyno(() => new Response("good"));
      const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", blackhole.port), web("web.2", good)] } }, undefined, { connectMs: 200 });
      const started = performance.now();
      for (let i = 0; i < 6; i++) expect(await (await fetch(routed.url("demo"))).text()).toBe("good");
      // At most one attempt met the blackhole (~400 ms); without quarantine about three would.
      expect(performance.now() - started).toBeLessThan(750);
      expect((await routed.linesAfter(6)).map((line) => fieldsOf(line).dyno)).toEqual(Array(6).fill("web.2"));
    } finally {
      blackhole.close();
    }
  });

  test("a dyno that refused a connection is not picked for the quarantine, even once it listens again", async () => {
    const port = anyFreePort();
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", port)] } }, undefined, { quarantineMs: 1500 });
    expect((await fetch(routed.url("demo"))).status).toBe(503); // H21, web.1 quarantined
    const revived = Bun.serve({ hostname: "127.0.0.1", port, fetch: () => new Response("web.1") });
    try {
      const other = startDyno(() => new Response("web.2"));
      routed.table.set("demo", { app: "demo", released: true, webDynos: [web("web.1", port), web("web.2", other)] });
      const answers: string[] = [];
      for (let i = 0; i < 10; i++) answers.push(await (await fetch(routed.url("demo"))).text());
      expect(answers).toEqual(Array(10).fill("web.2"));
      await Bun.sleep(1600);
      const later = new Set<string>();
      for (let i = 0; i < 30 && later.size < 2; i++) later.add(await (await fetch(routed.url("demo"))).text());
      expect(later).toEqual(new Set(["web.1", "web.2"]));
    } finally {
      await revived.stop(true);
    }
  });

  test("every up dyno quarantined: a request waits for one to come back, served then; past the wait, H99", async () => {
    const port = anyFreePort();
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", port)] } }, undefined, { quarantineMs: 400, quarantineWaitMs: 5000 });
    expect((await fetch(routed.url("demo"))).status).toBe(503); // H21, web.1 quarantined
    const revived = Bun.serve({ hostname: "127.0.0.1", port, fetch: () => new Response("back") });
    try {
      const started = performance.now();
      expect(await (await fetch(routed.url("demo"))).text()).toBe("back");
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await revived.stop(true);
    }

    const waiting = startRouted({ demo: { released: true, webDynos: [web("web.1", anyFreePort())] } }, undefined, { quarantineMs: 5000, quarantineWaitMs: 200 });
    expect((await fetch(waiting.url("demo"))).status).toBe(503); // H21
    const response = await fetch(waiting.url("demo"));
    expect(response.status).toBe(503);
    const lines = await waiting.linesAfter(2);
    expect(lines[0]).toMatch(/code=H21/);
    expect(lines[1]).toMatch(/^at=error code=H99 desc="Platform error" method=GET .* dyno= connect= service= status=503 bytes= protocol=http$/);
  });
  test("a request waiting out the quarantine goes to a dyno that came up meanwhile (a new release's)", async () => {
    const port = anyFreePort();
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", port)] } }, undefined, { quarantineMs: 5000, quarantineWaitMs: 5000 });
    expect((await fetch(routed.url("demo"))).status).toBe(503); // H21, web.1 quarantined
    const waiting = fetch(routed.url("demo"));
    await Bun.sleep(200);
    routed.table.set("demo", { app: "demo", released: true, webDynos: [web("web.1", startDyno(() => new Response("new web.1")))] });
    const started = performance.now();
    expect(await (await waiting).text()).toBe("new web.1");
    expect(performance.now() - started).toBeLessThan(2000); // not the old dyno's quarantine (5 s)
  });
});
