/**
 * The H codes this router serves, as Heroku logs them (Dev Center: error-codes). Each is
 * one router log line and one page from the router itself; the app's own 4xx and 5xx pass
 * through untouched and have no code.
 */

export type RouterErrorCode = "H10" | "H11" | "H12" | "H13" | "H14" | "H15" | "H18" | "H19" | "H20" | "H21" | "H25" | "H26" | "H27" | "H28" | "H80" | "H81" | "H99";

export interface RouterError {
  readonly code: RouterErrorCode;
  /** The `desc="..."` text of the log line. */
  readonly desc: string;
  /** The status logged and, when the router still answers, sent. */
  readonly status: number;
  /** The log level: H80 and H81 are info ("not an error"), H27 and H28 warnings. */
  readonly at: "info" | "warning" | "error";
  /** Which side's socket failed, logged first as `sock=...` (H18 backend, H27 and H28 client). */
  readonly sock?: "backend" | "client";
}

export const ROUTER_ERRORS: Readonly<Record<RouterErrorCode, RouterError>> = {
  H10: { code: "H10", desc: "App crashed", status: 503, at: "error" },
  H11: { code: "H11", desc: "Backlog too deep", status: 503, at: "error" },
  H12: { code: "H12", desc: "Request timeout", status: 503, at: "error" },
  H13: { code: "H13", desc: "Connection closed without response", status: 503, at: "error" },
  H14: { code: "H14", desc: "No web processes running", status: 503, at: "error" },
  H15: { code: "H15", desc: "Idle connection", status: 503, at: "error" },
  H18: { code: "H18", desc: "Server Request Interrupted", status: 503, at: "error", sock: "backend" },
  H19: { code: "H19", desc: "Backend connection timeout", status: 503, at: "error" },
  H20: { code: "H20", desc: "App boot timeout", status: 503, at: "error" },
  H21: { code: "H21", desc: "Backend connection refused", status: 503, at: "error" },
  H25: { code: "H25", desc: "HTTP Restriction", status: 502, at: "error" },
  // Logged with the status the client got (417 for an Expect the router does not take).
  H26: { code: "H26", desc: "Request Error", status: 400, at: "error" },
  H27: { code: "H27", desc: "Client Request Interrupted", status: 499, at: "warning", sock: "client" },
  H28: { code: "H28", desc: "Client Connection Idle", status: 499, at: "warning", sock: "client" },
  H80: { code: "H80", desc: "Maintenance mode", status: 503, at: "info" },
  // Real router logs show status=502 for H81 (2014-2023); Dev Center's example says 503.
  H81: { code: "H81", desc: "Blank app", status: 502, at: "info" },
  H99: { code: "H99", desc: "Platform error", status: 503, at: "error" },
};
