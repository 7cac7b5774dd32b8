/**
 * An HTTP request on to a web dyno and its response back, both streamed: the request body
 * is pulled as the dyno reads it, the response body is passed on chunk by chunk as the
 * client takes it (a hand-written relay keeps Bun's backpressure; a client that leaves
 * aborts the dyno's request, bun#25919). Bun.serve frames any streamed body as chunked,
 * dropping its Content-Length (bun#10507), so a body that says it is at most 64 KiB is read
 * whole first and goes out with its length (vegur does so up to 1 KiB); a larger or
 * unannounced one streams, chunked. Compressed responses pass untouched
 * (`decompress: false`), redirects are the client's to follow (`redirect: "manual"`).
 *
 * A dyno that refuses the connection, or does not open it within the connect timeout, is
 * quarantined (quarantine.ts) and the request retried on another up dyno, at most 10
 * attempts (Dev Center: http-routing), while no byte of the body has gone; then H21 or H19.
 * When every up dyno is quarantined the request waits for one, then H99. No response head
 * within the request timeout of the request having all gone is H12, and a stalled upload H28
 * or H15 (first-byte.ts); a response head past
 * Heroku's limits is H25 (http-limits.ts). A dyno that closes without answering is H13; one
 * that stops mid-response is H18, one silent for the idle window H15, and a client that
 * takes nothing for that long H28 (these three logged only: the client already has the
 * status; after H28 Bun keeps the client's blocked socket open until it reads or leaves). The
 * log line is written when the response ends:
 * `connect` is the time spent on failed attempts before the dyno that answered, `service`
 * the time from sending to that dyno to the last byte passed on.
 *
 * Each attempt is counted in flight on its dyno (in-flight.ts) from before it is sent until
 * its response has gone, failed or been abandoned by the client: `done` and every error path
 * call its `leave`, which counts once.
 */
import { pickDyno } from "./choose-dyno.ts";
import { droppedConnection, type Exchange, routerErrorResponse } from "./exchange.ts";
import { DynoTimeout, firstByte } from "./first-byte.ts";
import { headerBytes, toClientResponseHeaders, toDynoRequestHeaders } from "./headers.ts";
import { responseRestriction } from "./http-limits.ts";
import type { InFlight } from "./in-flight.ts";
import { ReplayableBody } from "./replayable-body.ts";
import { ROUTER_ERRORS } from "./router-error.ts";
import type { WebDyno } from "./router.ts";

const MAX_ATTEMPTS = 10;
const WHOLE_BODY_MAX = 64 * 1024;
const QUARANTINE_POLL_MS = 50;

/** `upNow` reads the app's up web dynos again, for a request that waits out a quarantine (a release may change them meanwhile). */
export async function forwardToDynos(exchange: Exchange, firstUp: readonly WebDyno[], inFlight: InFlight, upNow: () => readonly WebDyno[] = () => firstUp): Promise<Response> {
  let up = firstUp;
  const { request, timeouts, quarantine } = exchange;
  const body = request.body ? new ReplayableBody(request.body) : undefined;
  const headers = toDynoRequestHeaders(request.headers, exchange.forwarding);
  // A client that leaves aborts the attempt in progress (Bun does not, bun#25919).
  let attempt: AbortController | undefined;
  request.signal.addEventListener("abort", () => attempt?.abort(), { once: true });
  const tried = new Set<string>();
  const arrivedAt = performance.now();
  let dispatchedAt: number | undefined;
  let failure: "H19" | "H21" = "H21";
  for (;;) {
    // A client that left while the request waited (a booting dyno, a quarantine) is not sent on.
    if (request.signal.aborted) return routerErrorResponse(exchange, "H27");
    const dyno = pickDyno(up.filter((d) => !quarantine.has(d)), tried);
    if (!dyno) {
      if (dispatchedAt !== undefined) break;
      // Every up dyno is quarantined: wait for one to come back.
      if (performance.now() - arrivedAt >= timeouts.quarantineWaitMs) return routerErrorResponse(exchange, "H99");
      await Bun.sleep(QUARANTINE_POLL_MS);
      up = upNow();
      continue;
    }
    tried.add(dyno.name);
    const sentAt = performance.now();
    dispatchedAt ??= sentAt;
    const abort = (attempt = new AbortController());
    const leave = inFlight.enter(dyno.port);
    try {
      const response = fetch(`http://127.0.0.1:${dyno.port}${exchange.path}`, {
        method: request.method,
        headers,
        body: body?.stream(),
        redirect: "manual",
        decompress: false,
        timeout: false, // Bun's own 5-minute idle cut; the router's clocks are first-byte.ts's and relay's
        signal: abort.signal,
      });
      const head = await firstByte(response, dyno.port, { timeouts, dispatchedAt, abort, body });
      return await relay(exchange, dyno, head, { connectMs: sentAt - dispatchedAt, sentAt, abort, idleMs: timeouts.idleMs, leave });
    } catch (error) {
      leave();
      const timing = { dyno: dyno.name, connectMs: sentAt - dispatchedAt };
      if (request.signal.aborted) return routerErrorResponse(exchange, "H27", { ...timing, serviceMs: performance.now() - sentAt });
      const code = error instanceof DynoTimeout ? error.code : isRefused(error) ? "H21" : undefined;
      if (code === "H28") return droppedConnection(exchange, code, { ...timing, serviceMs: performance.now() - sentAt, bytes: 0 });
      if (code === "H12" || code === "H15") return routerErrorResponse(exchange, code, { ...timing, serviceMs: performance.now() - sentAt, bytes: 0 });
      if (code === undefined) return routerErrorResponse(exchange, "H13", { ...timing, serviceMs: performance.now() - sentAt, bytes: 0 });
      quarantine.add(dyno);
      failure = code;
      if (body?.touched || tried.size >= MAX_ATTEMPTS) return routerErrorResponse(exchange, code, { ...timing, connectMs: performance.now() - dispatchedAt });
    }
  }
  return routerErrorResponse(exchange, failure, { dyno: [...tried].at(-1), connectMs: performance.now() - dispatchedAt });
}

function isRefused(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ECONNREFUSED";
}

interface Timing {
  readonly connectMs: number;
  readonly sentAt: number;
  readonly abort: AbortController;
  /** The rolling idle window (H15, H28). */
  readonly idleMs: number;
  /** Ends this attempt's count in flight on the dyno. */
  readonly leave: () => void;
}

/** The dyno's response for the client, logged once its body has gone (or failed). */
async function relay(exchange: Exchange, dyno: WebDyno, response: Response, timing: Timing): Promise<Response> {
  const fields = () => ({ dyno: dyno.name, connectMs: timing.connectMs, serviceMs: performance.now() - timing.sentAt });
  if (responseRestriction(response.status, response.statusText, response.headers)) {
    timing.abort.abort();
    timing.leave();
    return routerErrorResponse(exchange, "H25", fields());
  }
  const headers = toClientResponseHeaders(response.headers);
  const init = { status: response.status, statusText: response.statusText, headers };
  const head = headerBytes(response.status, response.statusText, headers);
  let logged = false;
  const done = (bodyBytes: number, code?: "H15" | "H18" | "H27" | "H28") => {
    timing.leave();
    if (logged) return;
    logged = true;
    const error = code && ROUTER_ERRORS[code];
    exchange.log({
      ...exchange.line,
      error,
      dyno: dyno.name,
      connectMs: timing.connectMs,
      serviceMs: performance.now() - timing.sentAt,
      status: error ? error.status : response.status,
      bytes: head + bodyBytes,
    });
  };
  if (response.body === null || exchange.request.method === "HEAD") {
    done(0);
    return new Response(null, init);
  }
  // The dyno's next chunk; one that does not come within the idle window aborts the read (H15).
  const reader = response.body.getReader();
  let dynoIdle = false;
  const read = async () => {
    const idle = setTimeout(() => {
      dynoIdle = true;
      timing.abort.abort();
    }, timing.idleMs);
    try {
      return await reader.read();
    } finally {
      clearTimeout(idle);
    }
  };
  const failure = () => (dynoIdle ? "H15" : exchange.request.signal.aborted || timing.abort.signal.aborted ? "H27" : "H18");
  const length = response.headers.get("content-length");
  if (length !== null && Number(length) <= WHOLE_BODY_MAX) {
    const chunks: Uint8Array[] = [];
    try {
      for (let chunk = await read(); !chunk.done; chunk = await read()) chunks.push(chunk.value);
    } catch {
      timing.leave();
      return routerErrorResponse(exchange, failure(), fields());
    }
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    done(body.byteLength);
    if (headers.has("content-type")) return new Response(body, init);
    // Bun gives a byte body without one a Content-Type (application/octet-stream); an ended stream
    // goes out with its Content-Length and none (it costs ~15 us more, so only here).
    const ended = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body);
        controller.close();
      },
    });
    return new Response(ended, init);
  }
  let bytes = 0;
  let clientIdle: Timer | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clearTimeout(clientIdle);
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await read();
        } catch (error) {
          const code = failure();
          done(bytes, code);
          controller.error(code === "H15" ? new Error("H15 Idle connection: the dyno sent nothing within the idle timeout") : error);
          return;
        }
        if (chunk.done) {
          done(bytes);
          controller.close();
          return;
        }
        bytes += chunk.value.byteLength;
        controller.enqueue(chunk.value);
        // The next pull comes once the client has taken this chunk.
        clientIdle = setTimeout(() => {
          done(bytes, "H28");
          timing.abort.abort();
          controller.error(new Error("H28 Client Connection Idle: the client took nothing within the idle timeout"));
        }, timing.idleMs);
      },
      cancel() {
        clearTimeout(clientIdle);
        done(bytes, "H27");
        timing.abort.abort();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(stream, init);
}
