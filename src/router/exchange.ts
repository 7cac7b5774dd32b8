/**
 * One request for an app, as the router carries it: what goes to the dyno, what every log
 * line of it says, and the router's own answers when no dyno can give one.
 */
import type { Forwarding } from "./headers.ts";
import { APPLICATION_ERROR_PAGE, BLANK_APP_PAGE, pageResponse } from "./pages.ts";
import { ROUTER_ERRORS, type RouterErrorCode } from "./router-error.ts";
import type { RouterLine } from "./router-log.ts";

export interface Exchange {
  readonly request: Request;
  /** Path and query string, as the dyno gets them. */
  readonly path: string;
  readonly forwarding: Forwarding;
  /** The fields every log line of this request carries. */
  readonly line: Pick<RouterLine, "method" | "path" | "host" | "requestId" | "fwd">;
  /** Writes one router line to the app's log. */
  readonly log: (line: RouterLine) => void;
}

/** What a router error's log line says besides the code, when a dyno was involved. */
export type DynoFields = Pick<RouterLine, "dyno" | "connectMs" | "serviceMs" | "bytes">;

/** Logs the error and answers with Heroku's page for it. */
export function routerErrorResponse(exchange: Exchange, code: RouterErrorCode, fields: DynoFields = {}): Response {
  const error = ROUTER_ERRORS[code];
  exchange.log({ ...exchange.line, ...fields, error, status: error.status });
  return pageResponse(error.status, code === "H81" ? BLANK_APP_PAGE : APPLICATION_ERROR_PAGE);
}
