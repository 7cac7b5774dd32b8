/**
 * One request for an app, as the router carries it: what goes to the dyno, what every log
 * line of it says, and the router's own answers when no dyno can give one.
 */
import type { Forwarding } from "./headers.ts";
import { APPLICATION_ERROR_PAGE, BLANK_APP_PAGE, framedPage, MAINTENANCE_PAGE, pageResponse } from "./pages.ts";
import type { Quarantine } from "./quarantine.ts";
import { ROUTER_ERRORS, type RouterErrorCode } from "./router-error.ts";
import type { RouterLine } from "./router-log.ts";
import type { RouterTimeouts } from "./timeouts.ts";

export interface Exchange {
  readonly request: Request;
  /** Path and query string, as the dyno gets them. */
  readonly path: string;
  readonly forwarding: Forwarding;
  /** The fields every log line of this request carries. */
  readonly line: Pick<RouterLine, "method" | "path" | "host" | "requestId" | "fwd">;
  /** Writes one router line to the app's log. */
  readonly log: (line: RouterLine) => void;
  readonly timeouts: RouterTimeouts;
  /** The router's dynos left out for now (shared by every request). */
  readonly quarantine: Quarantine;
  /** The app's ERROR_PAGE_URL and MAINTENANCE_PAGE_URL, when set. */
  readonly pageUrls?: { readonly error?: string; readonly maintenance?: string };
}

/** What a router error's log line says besides the code, when a dyno was involved. */
export type DynoFields = Pick<RouterLine, "dyno" | "connectMs" | "serviceMs" | "bytes">;

/** Logs the error and answers with Heroku's page for it. */
export function routerErrorResponse(exchange: Exchange, code: RouterErrorCode, fields: DynoFields = {}): Response {
  const error = ROUTER_ERRORS[code];
  exchange.log({ ...exchange.line, ...fields, error, status: error.status });
  return pageResponse(error.status, pageFor(code, exchange.pageUrls ?? {}));
}

/**
 * Logs the error and closes the client's connection with no answer: a client idle for the
 * router's idle window (H28) is given up on, not sent a page (499 is the log's status only).
 */
export function droppedConnection(exchange: Exchange, code: "H28", fields: DynoFields = {}): Response {
  const error = ROUTER_ERRORS[code];
  exchange.log({ ...exchange.line, ...fields, error, status: error.status });
  // A body that fails before its first byte makes Bun close the connection without a response.
  return new Response(new ReadableStream({ start: (controller) => controller.error() }));
}

function pageFor(code: RouterErrorCode, urls: NonNullable<Exchange["pageUrls"]>): string {
  if (code === "H81") return BLANK_APP_PAGE;
  if (code === "H80") return urls.maintenance ? framedPage("Offline for Maintenance", urls.maintenance) : MAINTENANCE_PAGE;
  return urls.error ? framedPage("Application Error", urls.error) : APPLICATION_ERROR_PAGE;
}

/**
 * A request the router will not carry (http-limits.ts): logged with the status it gets
 * and the code Heroku logs, if any; answered without a page.
 */
export function refusedRequest(exchange: Exchange, status: number, code?: "H26"): Response {
  exchange.log({ ...exchange.line, error: code && ROUTER_ERRORS[code], status });
  return new Response(null, { status, headers: status === 405 ? { allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" } : {} });
}
