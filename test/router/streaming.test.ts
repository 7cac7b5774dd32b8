/**
 * Bodies stream through the router both ways: a response that trickles arrives as it is
 * sent, an upload reaches the dyno while the client is still sending it (a gate between
 * the two sides proves it: a buffering router would hang), 50 MB goes through whole,
 * compressed bytes pass untouched, and a client that leaves stops the dyno's response.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { fieldsOf, startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A promise and the function that settles it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** Fails instead of hanging when `promise` does not settle in time. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, Bun.sleep(ms).then(() => Promise.reject(new Error(`${what} did not happen within ${ms} ms`)))]);
}

function routedTo(fetch: Parameters<typeof startDyno>[0]) {
  return startRouted({ demo: { released: true, webDynos: [web("web.1", startDyno(fetch))] } });
}

describe("responses", () => {
  test("an SSE response arrives event by event: the second is sent only once the client has the first", async () => {
    const clientHasFirst = gate();
    const routed = routedTo(() => {
      const events = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode("data: one\n\n"));
          await clientHasFirst.opened;
          controller.enqueue(encoder.encode("data: two\n\n"));
          controller.close();
        },
      });
      return new Response(events, { headers: { "content-type": "text/event-stream" } });
    });
    const response = await fetch(routed.url("demo", "/events"));
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const first = await within(3000, reader.read(), "the first event");
    expect(decoder.decode(first.value)).toBe("data: one\n\n");
    clientHasFirst.open();
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe("data: two\n\n");
    expect(fieldsOf((await routed.linesAfter(1))[0]!)).toMatchObject({ at: "info", status: "200", path: "/events" });
  });

  test("a gzip response passes untouched, Content-Encoding and all, small or large", async () => {
    const small = Bun.gzipSync(encoder.encode("hello ".repeat(100)));
    const large = Bun.gzipSync(crypto.getRandomValues(new Uint8Array(200_000)));
    const routed = routedTo((request) => new Response(request.url.endsWith("/large") ? large : small, { headers: { "content-encoding": "gzip", "content-type": "text/plain" } }));
    for (const [path, sent] of [["/small", small], ["/large", large]] as const) {
      const response = await fetch(routed.url("demo", path), { decompress: false });
      expect(response.headers.get("content-encoding")).toBe("gzip");
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(sent);
    }
    // A small body keeps its Content-Length.
    const response = await fetch(routed.url("demo", "/small"), { decompress: false });
    expect(response.headers.get("content-length")).toBe(String(small.byteLength));
    await response.arrayBuffer();
  });

  test("a client that leaves mid-stream stops the dyno's response, logged as H27", async () => {
    const dynoStreamCancelled = gate();
    const routed = routedTo(() => {
      let timer: Timer | undefined;
      const ticks = new ReadableStream<Uint8Array>({
        start(controller) {
          timer = setInterval(() => controller.enqueue(encoder.encode("data: tick\n\n")), 20);
        },
        cancel() {
          clearInterval(timer);
          dynoStreamCancelled.open();
        },
      });
      return new Response(ticks, { headers: { "content-type": "text/event-stream" } });
    });
    const client = new AbortController();
    const response = await fetch(routed.url("demo"), { signal: client.signal });
    const reader = response.body!.getReader();
    await within(3000, reader.read(), "the first tick");
    client.abort();
    await within(3000, dynoStreamCancelled.opened, "the dyno's stream being cancelled");
    const [line] = await routed.linesAfter(1);
    expect(line).toMatch(/^sock=client at=warning code=H27 desc="Client Request Interrupted" method=GET .* dyno=web\.1 connect=\d+ms service=\d+ms status=499 bytes=\d+ protocol=http$/);
  });
});

describe("a client that leaves while the request waits", () => {
  test("for a booting dyno: the request is not sent on when the dyno comes up, logged as H27", async () => {
    let received = 0;
    const dyno = startDyno(() => {
      received++;
      return new Response("served");
    });
    const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", dyno, "starting")] } }, 5000);
    const client = new AbortController();
    const request = fetch(routed.url("demo"), { signal: client.signal }).catch(() => "aborted");
    await Bun.sleep(120);
    // The client leaves, and the dyno is up by the router's next look.
    client.abort();
    routed.table.set("demo", { app: "demo", released: true, webDynos: [web("web.1", dyno, "up")] });
    expect(await request).toBe("aborted");
    const [line] = await routed.linesAfter(1);
    expect(fieldsOf(line!)).toMatchObject({ code: "H27", status: "499" });
    await Bun.sleep(200);
    expect(received).toBe(0);
    expect(routed.inFlight.count(dyno.port!)).toBe(0);
  });
});

describe("uploads", () => {
  test("an upload reaches the dyno while the client is still sending it", async () => {
    const dynoHasFirst = gate();
    const routed = routedTo(async (request) => {
      let received = "";
      for await (const chunk of request.body!) {
        received += decoder.decode(chunk);
        dynoHasFirst.open();
      }
      return new Response(received);
    });
    let step = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          step++;
          if (step === 1) controller.enqueue(encoder.encode("first,"));
          else if (step === 2) {
            await within(3000, dynoHasFirst.opened, "the dyno getting the first chunk");
            controller.enqueue(encoder.encode("second"));
          } else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const response = await fetch(routed.url("demo", "/upload"), { method: "POST", body });
    expect(await response.text()).toBe("first,second");
  });

  test("a 50 MB upload arrives whole, and the dyno has its start long before the client has sent its end", async () => {
    const size = 50 * 1024 * 1024;
    const chunk = 1024 * 1024;
    let offset = 0;
    let sentWhenDynoStarted = -1;
    const routed = routedTo(async (request) => {
      const hasher = new Bun.CryptoHasher("sha256");
      let bytes = 0;
      for await (const part of request.body!) {
        if (sentWhenDynoStarted === -1) sentWhenDynoStarted = offset;
        hasher.update(part);
        bytes += part.byteLength;
      }
      return Response.json({ bytes, sha256: hasher.digest("hex") });
    });
    const sent = new Bun.CryptoHasher("sha256");
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (offset >= size) return controller.close();
          const part = new Uint8Array(chunk).fill(offset / chunk);
          sent.update(part);
          offset += chunk;
          controller.enqueue(part);
        },
      },
      { highWaterMark: 0 },
    );
    const response = await fetch(routed.url("demo", "/big"), { method: "POST", body, headers: { "content-type": "application/octet-stream" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: size, sha256: sent.digest("hex") });
    // Only socket buffers lie between the two: a router that held the body would make this 50 MB.
    expect(sentWhenDynoStarted).toBeLessThan(size / 4);
  });
});
