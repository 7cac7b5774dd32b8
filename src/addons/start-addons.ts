/**
 * Starting an app's add-ons for a run: all in parallel, each on its port (its own if
 * free, else another, said in one line), each ready only when its protocol answers.
 * If one never gets ready, its last log lines are shown and every other is stopped.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { HokuError } from "../app/problem.ts";
import type { Addon } from "./addon.ts";
import type { Service } from "./catalog.ts";
import type { Choice } from "./choose-provider.ts";
import { type AttachedAddon } from "./config-vars.ts";
import type { RunningAddon } from "./provider.ts";
import { anyFreePort, isPortFree } from "../runtime/port-probe.ts";
import { waitReady } from "./readiness.ts";

export interface PlannedAddon {
  readonly addon: Addon;
  readonly service: Service;
  readonly image?: string;
  readonly choice: Choice;
}

export interface StartedAddons {
  readonly attached: readonly AttachedAddon[];
  stop(): Promise<void>;
}

export interface StartContext {
  readonly appId: string;
  readonly runId: string;
  /** The app's state folder; each add-on's data goes in addons/<name>. */
  readonly stateDir: string;
  readonly readyTimeoutMs: number;
  /** One line for the user per event. */
  readonly say: (line: string) => void;
  /** The reaper's watch (see StartRequest). */
  readonly watch: (pgid: number) => void;
}

export async function startAddons(plans: readonly PlannedAddon[], context: StartContext): Promise<StartedAddons> {
  const running: RunningAddon[] = [];
  let failed = false;
  const stopAll = async () => void (await Promise.allSettled(running.map((r) => r.stop())));
  const results = await Promise.allSettled(
    plans.map(async ({ addon, service, image, choice }): Promise<AttachedAddon> => {
      const port = portFor(addon, context.say);
      const started = performance.now();
      const dataDir = join(context.stateDir, "addons", addon.name);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const run = await choice.provider.start({ addon, service, image, appId: context.appId, runId: context.runId, dataDir, port, watch: context.watch });
      running.push(run);
      if (!(await waitReady(service, run.endpoint, context.readyTimeoutMs, () => !failed && !run.hasExited?.()))) {
        const logs = await run.recentLogs().catch(() => []);
        const what = run.hasExited?.() ? "exited before it was ready" : `was not ready after ${context.readyTimeoutMs / 1000} s`;
        throw new HokuError(
          `${addon.name} (${service.name} via ${choice.provider.kind}) ${what}${logs.length ? `; its last lines:\n${logs.slice(-10).map((l) => `    ${l}`).join("\n")}` : ""}`,
        );
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      context.say(`${service.name} ${addon.name} ready in ${seconds} s on 127.0.0.1:${run.endpoint.port} (${run.runner})`);
      return { addon, service, endpoint: run.endpoint };
    }),
  );
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
  if (errors.length > 0) {
    failed = true;
    await stopAll();
    const message = errors.map((e) => (e instanceof Error ? e.message : String(e))).join("\n");
    throw new HokuError(`${errors.length === 1 ? "an add-on" : `${errors.length} add-ons`} did not start; the others were stopped:\n${message}`);
  }
  return { attached: results.map((r) => (r as PromiseFulfilledResult<AttachedAddon>).value), stop: stopAll };
}

/** The add-on's own port when free, else any free one (said once). */
function portFor(addon: Addon, say: (line: string) => void): number {
  if (isPortFree(addon.port, "127.0.0.1")) return addon.port;
  const port = anyFreePort();
  say(`port ${addon.port} of ${addon.name} is taken; using ${port} for this run`);
  return port;
}
