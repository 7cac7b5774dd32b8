/**
 * Where a request for an app goes (Dev Center: http-routing, error-codes), decided from the
 * route table's view of the app at that moment:
 *
 *   no release yet                          H81 Blank app
 *   no web dynos (web=0, or no web type)    H14 No web processes running
 *   some web dyno up                        a random one of those up
 *   none up, some starting                  wait for one (H20 App boot timeout past the wait)
 *   none up or starting (all crashed, ...)  H10 App crashed
 */
import type { RouteTarget, WebDyno } from "./router.ts";
import { randomInt } from "../platform/random.ts";

export type Routing =
  | { readonly kind: "dynos"; readonly up: readonly WebDyno[] }
  | { readonly kind: "booting" }
  | { readonly kind: "error"; readonly code: "H10" | "H14" | "H81" };

export function routingFor(target: RouteTarget): Routing {
  if (!target.released) return { kind: "error", code: "H81" };
  if (target.webDynos.length === 0) return { kind: "error", code: "H14" };
  const up = target.webDynos.filter((dyno) => dyno.state === "up");
  if (up.length > 0) return { kind: "dynos", up };
  if (target.webDynos.some((dyno) => dyno.state === "starting")) return { kind: "booting" };
  return { kind: "error", code: "H10" };
}

/** A random dyno of `up` not yet `tried` (by name); undefined when every one was. */
export function pickDyno(up: readonly WebDyno[], tried: ReadonlySet<string>): WebDyno | undefined {
  const untried = tried.size === 0 ? up : up.filter((dyno) => !tried.has(dyno.name));
  return untried.length === 0 ? undefined : untried[randomInt(0, untried.length)];
}
