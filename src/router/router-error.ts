/**
 * The H codes this router serves, as Heroku logs them (Dev Center: error-codes). Each is
 * one router log line and one page from the router itself; the app's own 4xx and 5xx pass
 * through untouched and have no code.
 */

export type RouterErrorCode = "H10" | "H13" | "H14" | "H18" | "H20" | "H21" | "H27" | "H81" | "H99";

export interface RouterError {
  readonly code: RouterErrorCode;
  /** The `desc="..."` text of the log line. */
  readonly desc: string;
  /** The status logged and, when the router still answers, sent. */
  readonly status: number;
  /** The log level: H81 is info ("not an error"), H27 a warning. */
  readonly at: "info" | "warning" | "error";
  /** Which side's socket failed, logged first as `sock=...` (H18 backend, H27 client). */
  readonly sock?: "backend" | "client";
}

export const ROUTER_ERRORS: Readonly<Record<RouterErrorCode, RouterError>> = {
  H10: { code: "H10", desc: "App crashed", status: 503, at: "error" },
  H13: { code: "H13", desc: "Connection closed without response", status: 503, at: "error" },
  H14: { code: "H14", desc: "No web processes running", status: 503, at: "error" },
  H18: { code: "H18", desc: "Server Request Interrupted", status: 503, at: "error", sock: "backend" },
  H20: { code: "H20", desc: "App boot timeout", status: 503, at: "error" },
  H21: { code: "H21", desc: "Backend connection refused", status: 503, at: "error" },
  H27: { code: "H27", desc: "Client Request Interrupted", status: 499, at: "warning", sock: "client" },
  // Real router logs show status=502 for H81 (2014-2023); Dev Center's example says 503.
  H81: { code: "H81", desc: "Blank app", status: 502, at: "info" },
  H99: { code: "H99", desc: "Platform error", status: 503, at: "error" },
};
