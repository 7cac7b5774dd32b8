/**
 * What the platform and its router process say to each other over the IPC channel (JSON),
 * in order on the one channel:
 *
 *   platform -> router   `table`    every app's route, whole, when any of it changed
 *                        `drain`    tell me once these dyno ports have no request in flight
 *   router -> platform   `ready`    listening on `port`
 *                        `failed`   could not listen (`code`, e.g. EADDRINUSE)
 *                        `applied`  the table `seq` is the one requests now see
 *                        `drained`  the `drain` with this `id` is done
 *                        `lines`    router log lines, batched: [app id, epoch ms, line]
 *
 * A `drain` sent after a `table` is answered by a router that already routes by that table, so
 * no new request reaches a dyno the table took out while the drain waits.
 */
import type { RouteTarget } from "./router.ts";
import type { RouterTimeouts } from "./timeouts.ts";

/** One app's route as the platform publishes it: the app's id files its router lines. */
export type PublishedRoute = RouteTarget & { readonly id: string };

export interface RouteTableMessage {
  readonly kind: "table";
  readonly seq: number;
  readonly routes: readonly PublishedRoute[];
}

export interface DrainMessage {
  readonly kind: "drain";
  readonly id: number;
  readonly ports: readonly number[];
}

export type ToRouter = RouteTableMessage | DrainMessage;

export type FromRouter =
  | { readonly kind: "ready"; readonly port: number }
  | { readonly kind: "failed"; readonly code: string; readonly message: string }
  | { readonly kind: "applied"; readonly seq: number }
  | { readonly kind: "drained"; readonly id: number }
  | { readonly kind: "lines"; readonly lines: readonly (readonly [appId: string, atMs: number, line: string])[] };

/** How the platform starts its router process (`hoku __router '<json>'`). */
export interface RouterProcessOptions {
  readonly port: number;
  readonly timeouts?: Partial<RouterTimeouts>;
  /** The table to route by from the first request. */
  readonly routes?: readonly PublishedRoute[];
}
