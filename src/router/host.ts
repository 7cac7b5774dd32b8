/**
 * Which app a request is for, from its Host header, as Heroku's router reads
 * `<app>.herokuapp.com`: here `<app>.localhost[:port]` (every `*.localhost` name is loopback,
 * RFC 6761). `localhost` or a loopback address alone is the router's own index page; any other
 * name is an app hoku does not know (Heroku's "no such app").
 *
 *   host  = name [ ":" port ]        case-insensitive, one trailing dot allowed
 *   name  = app ".localhost"         app is one DNS label: [a-z0-9] then [a-z0-9-]*
 *         | "localhost" | "127.0.0.1" | "[::1]"
 */

export type HostTarget =
  | { readonly kind: "app"; readonly app: string }
  | { readonly kind: "index" }
  | { readonly kind: "unknown" };

const APP_LABEL = /^[a-z0-9][a-z0-9-]*$/;
const SUFFIX = ".localhost";
const INDEX: HostTarget = { kind: "index" };
const UNKNOWN: HostTarget = { kind: "unknown" };

/** The target named by a Host header; a request without one (HTTP/1.0) gets the index page. */
export function parseHost(host: string | null): HostTarget {
  if (host === null || host === "") return INDEX;
  let name = withoutPort(host.toLowerCase());
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (name === "localhost" || name === "127.0.0.1" || name === "[::1]") return INDEX;
  if (!name.endsWith(SUFFIX)) return UNKNOWN;
  const app = name.slice(0, -SUFFIX.length);
  return APP_LABEL.test(app) ? { kind: "app", app } : UNKNOWN;
}

function withoutPort(host: string): string {
  const colon = host.lastIndexOf(":");
  if (colon === -1 || host.endsWith("]")) return host; // no port, or a bare [IPv6]
  return host.slice(0, colon);
}
