/**
 * 1 GB each way through the router in constant memory (issue 14): a download and an upload
 * stream through, and this process (client, router and dyno all in it) grows by far less
 * than the body. A router that buffered either body would grow by a gigabyte.
 */
import { afterEach, expect, test } from "bun:test";
import { startDyno, startRouted, stopAll, web } from "./fixture.ts";

afterEach(stopAll);

const SIZE = 1024 * 1024 * 1024;
const CHUNK = new Uint8Array(256 * 1024).fill(7);
/** Far below the body: socket buffers, chunks in flight, garbage not yet collected. */
const GROWTH_LIMIT = 200 * 1024 * 1024;

/** SIZE bytes of CHUNK, produced as the reader pulls. */
function gigabyte(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= SIZE) return controller.close();
        sent += CHUNK.byteLength;
        controller.enqueue(CHUNK);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Reads a body to its end, counting bytes and sampling this process's peak RSS. */
async function drain(body: ReadableStream<Uint8Array>, peak: { rss: number }): Promise<number> {
  let bytes = 0;
  let chunks = 0;
  for await (const part of body) {
    bytes += part.byteLength;
    if (++chunks % 64 === 0) peak.rss = Math.max(peak.rss, process.memoryUsage.rss());
  }
  return bytes;
}

test("a 1 GB download streams through the router in constant memory", async () => {
  const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", startDyno(() => new Response(gigabyte())))] } });
  Bun.gc(true);
  const before = process.memoryUsage.rss();
  const peak = { rss: before };
  const response = await fetch(routed.url("demo", "/download"));
  expect(response.status).toBe(200);
  expect(await drain(response.body!, peak)).toBe(SIZE);
  expect(peak.rss - before).toBeLessThan(GROWTH_LIMIT);
}, 120_000);

test("a 1 GB upload streams through the router in constant memory", async () => {
  const peak = { rss: 0 };
  const routed = startRouted({ demo: { released: true, webDynos: [web("web.1", startDyno(async (request) => Response.json({ bytes: await drain(request.body!, peak) })))] } });
  Bun.gc(true);
  const before = process.memoryUsage.rss();
  peak.rss = before;
  const response = await fetch(routed.url("demo", "/upload"), { method: "POST", body: gigabyte(), headers: { "content-type": "application/octet-stream" } });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ bytes: SIZE });
  expect(peak.rss - before).toBeLessThan(GROWTH_LIMIT);
}, 120_000);
