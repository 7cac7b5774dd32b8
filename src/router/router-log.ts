/**
 * The router's log line, one per request (Dev Center: http-routing, "Heroku router log
 * format"), without the `<timestamp> heroku[router]: ` prefix the log store adds:
 *
 *   at=info method=GET path="/" host=demo.localhost:5000 request_id=<id> fwd="127.0.0.1"
 *     dyno=web.1 connect=0ms service=18ms status=200 bytes=245 protocol=http
 *   at=error code=H10 desc="App crashed" method=GET path="/" host=... request_id=... fwd="..."
 *     dyno= connect= service= status=503 bytes= protocol=http
 *   sock=client at=warning code=H27 desc="Client Request Interrupted" ... status=499 ...
 *
 * A field with no value is left empty, as Heroku does. `bytes` counts what went back to the
 * client, status line and headers included (real lines show bytes=166 for a 304).
 */
import type { RouterError } from "./router-error.ts";

export interface RouterLine {
  readonly error?: RouterError;
  readonly method: string;
  /** Path and query string. */
  readonly path: string;
  /** The Host header as the client sent it. */
  readonly host: string;
  readonly requestId: string;
  /** The X-Forwarded-For value the dyno was given (the client's address appended). */
  readonly fwd: string;
  readonly dyno?: string;
  readonly connectMs?: number;
  readonly serviceMs?: number;
  readonly status?: number;
  readonly bytes?: number;
}

export function formatRouterLine(line: RouterLine): string {
  const error = line.error;
  const head = error
    ? `${error.sock ? `sock=${error.sock} ` : ""}at=${error.at} code=${error.code} desc="${error.desc}"`
    : "at=info";
  return (
    `${head} method=${line.method} path="${quoted(line.path)}" host=${line.host} request_id=${line.requestId}` +
    ` fwd="${quoted(line.fwd)}" dyno=${line.dyno ?? ""} connect=${ms(line.connectMs)} service=${ms(line.serviceMs)}` +
    ` status=${line.status ?? ""} bytes=${line.bytes ?? ""} protocol=http`
  );
}

function ms(value: number | undefined): string {
  return value === undefined ? "" : `${Math.round(value)}ms`;
}

/** A `"` inside a quoted value would end it early; it is logged percent-encoded. */
function quoted(value: string): string {
  return value.includes('"') ? value.replaceAll('"', "%22") : value;
}
