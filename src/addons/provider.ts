/**
 * Providers run add-ons: Docker through Testcontainers, native binaries on PATH, or
 * embedded in hoku (PGlite). Each is one file behind this interface; the order and the
 * choice are in choose-provider.ts.
 */
import type { Addon } from "./addon.ts";
import type { Endpoint, Service } from "./catalog.ts";

export type ProviderKind = "docker" | "native" | "embedded";

/** Everything a provider needs to start one add-on. */
export interface StartRequest {
  readonly addon: Addon;
  readonly service: Service;
  /** The image to run (catalog default or the hoku.json override); none for a command-only hoku.json service. */
  readonly image?: string;
  /** Identifies the app: labels containers, names volumes. */
  readonly appId: string;
  /** Identifies this hoku run: labels what it started, for the reaper. */
  readonly runId: string;
  /** A folder of the add-on's own in hoku's state, for data that must persist. */
  readonly dataDir: string;
  /** The host port to publish on 127.0.0.1. */
  readonly port: number;
  /** Hands a started process group to hoku's reaper, so it dies with hoku even on SIGKILL. */
  readonly watch: (pgid: number) => void;
}

/** A started add-on. */
export interface RunningAddon {
  readonly endpoint: Endpoint;
  /** `container 3f2a…`, `pid 1234`, `in hoku`: what runs it. */
  readonly runner: string;
  /** The last lines it logged, for errors. */
  recentLogs(): Promise<string[]>;
  /** True once it has died (a native server that exited at start), so nobody waits for it. */
  hasExited?(): boolean;
  stop(): Promise<void>;
}

/** Whether a provider can run a service here, why in a few words, and when not, what would fix it. */
export type Availability = { readonly ok: true; readonly why: string } | { readonly ok: false; readonly why: string; readonly hint?: string };

/** What a check may need: the add-ons' deadline for slow work such as a pull, and a line for the user. */
export interface CheckContext {
  /** Epoch ms by which every add-on must be ready: the start of the add-ons plus `timeoutMs`. */
  readonly deadline: number;
  /** --addon-timeout, for messages. */
  readonly timeoutMs: number;
  readonly say: (line: string) => void;
}

export interface Provider {
  readonly kind: ProviderKind;
  /** Whether it can run this service (with this image) here, and in a few words why (not). */
  check(service: Service, image: string | undefined, context: CheckContext): Promise<Availability>;
  start(request: StartRequest): Promise<RunningAddon>;
  /** Deletes the add-on's persistent data (addons:destroy). */
  destroy(addon: Addon, appId: string, dataDir: string): Promise<void>;
}
