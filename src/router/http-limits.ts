/**
 * What the router will not carry (Dev Center: http-routing, "HTTP validation and
 * restrictions"), checked on the request before any dyno sees it and on the dyno's
 * response head before the client does:
 *
 *   request   CONNECT                              405 (not supported)
 *             Expect other than 100-continue       417, H26 Request Error
 *             request line over 8192 bytes         414
 *             a header name over 1000 bytes        400
 *             a header line over 8192 bytes        400
 *   response  status line over 8192 bytes          502, H25 HTTP Restriction
 *             a Set-Cookie over 8192 bytes         502, H25
 *             a header line over 512 KiB           502, H25
 *
 * Bun.serve answers 431 itself before the router sees a request whose headers pass about
 * 16 KiB in all or about 120 fields, so Heroku's "more than 1000 headers" (400) cannot reach
 * the router and is not checked; a header line between 8 and 16 KiB does reach it. Repeated
 * request headers arrive joined with ", ", and are measured so.
 */

export interface Restriction {
  readonly status: number;
  /** The H code logged, when Heroku logs one. */
  readonly code?: "H25" | "H26";
}

const LINE_MAX = 8192;
const HEADER_NAME_MAX = 1000;
const COOKIE_MAX = 8192;
const RESPONSE_HEADER_LINE_MAX = 512 * 1024;

export function requestRestriction(method: string, path: string, headers: Headers): Restriction | undefined {
  if (method === "CONNECT") return { status: 405 };
  const expect = headers.get("expect");
  if (expect !== null && expect.toLowerCase() !== "100-continue") return { status: 417, code: "H26" };
  if (`${method} ${path} HTTP/1.1`.length > LINE_MAX) return { status: 414 };
  for (const [name, value] of headers) {
    if (name.length > HEADER_NAME_MAX || name.length + 2 + value.length > LINE_MAX) return { status: 400 };
  }
  return undefined;
}

export function responseRestriction(status: number, statusText: string, headers: Headers): Restriction | undefined {
  const restricted = { status: 502, code: "H25" } as const;
  if (`HTTP/1.1 ${status} ${statusText}`.length > LINE_MAX) return restricted;
  for (const cookie of headers.getSetCookie()) if (cookie.length > COOKIE_MAX) return restricted;
  for (const [name, value] of headers) if (name.length + 2 + value.length > RESPONSE_HEADER_LINE_MAX) return restricted;
  return undefined;
}
