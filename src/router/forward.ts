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
 * A dyno that refuses the connection is retried on another up dyno, at most 10 attempts
 * (Dev Center: http-routing), while no byte of the body has gone; then H21. A dyno that
 * closes without answering is H13; one that stops mid-response is H18 (logged only: the
 * client already has the status). The log line is written when the response ends:
 * `connect` is the time spent on refused attempts before the dyno that answered, `service`
 * the time from sending to that dyno to the last byte passed on.
 *
 * Each attempt is counted in flight on its dyno (in-flight.ts) from before it is sent until
 * its response has gone, failed or been abandoned by the client: `done` and every error path
 * call its `leave`, which counts once.
 */
import { pickDyno } from "./choose-dyno.ts";
import { type Exchange, routerErrorResponse } from "./exchange.ts";
import { clientResponseHeaders, dynoRequestHeaders, headerBytes } from "./headers.ts";
import type { InFlight } from "./in-flight.ts";
import { ReplayableBody } from "./replayable-body.ts";
import { ROUTER_ERRORS } from "./router-error.ts";
import type { WebDyno } from "./router.ts";

const MAX_ATTEMPTS = 10;
const WHOLE_BODY_MAX = 64 * 1024;

export async function forwardToDynos(exchange: Exchange, up: readonly WebDyno[], inFlight: InFlight): Promise<Response> {
  const { request } = exchange;
  const body = request.body ? new ReplayableBody(request.body) : undefined;
  const abort = new AbortController();
  request.signal.addEventListener("abort", () => abort.abort(), { once: true });
  const headers = dynoRequestHeaders(request.headers, exchange.forwarding);
  const tried = new Set<string>();
  const firstAttemptAt = performance.now();
  for (let dyno = pickDyno(up, tried); dyno; dyno = pickDyno(up, tried)) {
    tried.add(dyno.name);
    const sentAt = performance.now();
    const leave = inFlight.enter(dyno.port);
    try {
      const response = await fetch(`http://127.0.0.1:${dyno.port}${exchange.path}`, {
        method: request.method,
        headers,
        body: body?.stream(),
        redirect: "manual",
        decompress: false,
        timeout: false, // Bun's own 5-minute idle cut; Heroku's H12/H15 timers are issue 14's
        signal: abort.signal,
      });
      return await relay(exchange, dyno, response, { connectMs: sentAt - firstAttemptAt, sentAt, abort, leave });
    } catch (error) {
      leave();
      const timing = { dyno: dyno.name, connectMs: sentAt - firstAttemptAt };
      if (request.signal.aborted) return routerErrorResponse(exchange, "H27", { ...timing, serviceMs: performance.now() - sentAt });
      if (!isRefused(error)) return routerErrorResponse(exchange, "H13", { ...timing, serviceMs: performance.now() - sentAt, bytes: 0 });
      if (body?.touched || tried.size >= MAX_ATTEMPTS) return routerErrorResponse(exchange, "H21", { ...timing, connectMs: performance.now() - firstAttemptAt });
    }
  }
  return routerErrorResponse(exchange, "H21", { dyno: [...tried].at(-1), connectMs: performance.now() - firstAttemptAt });
}

function isRefused(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ECONNREFUSED";
}

interface Timing {
  readonly connectMs: number;
  readonly sentAt: number;
  readonly abort: AbortController;
  /** Ends this attempt's count in flight on the dyno. */
  readonly leave: () => void;
}

/** The dyno's response for the client, logged once its body has gone (or failed). */
async function relay(exchange: Exchange, dyno: WebDyno, response: Response, timing: Timing): Promise<Response> {
  const headers = clientResponseHeaders(response.headers);
  const init = { status: response.status, statusText: response.statusText, headers };
  const head = headerBytes(response.status, response.statusText, headers);
  let logged = false;
  const done = (bodyBytes: number, code?: "H18" | "H27") => {
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
  const clientGone = () => exchange.request.signal.aborted || timing.abort.signal.aborted;
  const length = response.headers.get("content-length");
  if (length !== null && Number(length) <= WHOLE_BODY_MAX) {
    try {
      const body = await response.bytes();
      done(body.byteLength);
      return new Response(body, init);
    } catch {
      timing.leave();
      const fields = { dyno: dyno.name, connectMs: timing.connectMs, serviceMs: performance.now() - timing.sentAt };
      return routerErrorResponse(exchange, clientGone() ? "H27" : "H18", fields);
    }
  }
  const reader = response.body.getReader();
  let bytes = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          done(bytes, clientGone() ? "H27" : "H18");
          controller.error(error);
          return;
        }
        if (chunk.done) {
          done(bytes);
          controller.close();
          return;
        }
        bytes += chunk.value.byteLength;
        controller.enqueue(chunk.value);
      },
      cancel() {
        done(bytes, "H27");
        timing.abort.abort();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(stream, init);
}
