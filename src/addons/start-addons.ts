/**
 * Starting an app's add-ons for a run: all in parallel, each on its port (its own if
 * free, else another, said in one line), each ready only when its protocol answers.
 * One deadline (--addon-timeout) bounds it all, the providers' own starts included: an
 * add-on whose start or readiness outlives it fails with its last log lines, every other
 * is stopped, and a start that returns after that is stopped as it returns.
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
  /** Epoch ms by which every add-on must be ready. */
  readonly deadline: number;
  /** --addon-timeout, for messages. */
  readonly timeoutMs: number;
  /** One line for the user per event. */
  readonly say: (line: string) => void;
  /** The reaper's watch (see StartRequest). */
  readonly watch: (pgid: number) => void;
}

export async function startAddons(plans: readonly PlannedAddon[], context: StartContext): Promise<StartedAddons> {
  const running: RunningAddon[] = [];
  let failed = false;
  let stopped = false;
  const stopAll = async () => {
    stopped = true;
    await Promise.allSettled(running.map((r) => r.stop()));
  };
  const adopt = (run: RunningAddon) => {
    running.push(run);
    if (stopped) void run.stop().catch(() => {});
    return run;
  };
  const seconds = `${context.timeoutMs / 1000} s`;
  const results = await Promise.allSettled(
    plans.map(async ({ addon, service, image, choice }): Promise<AttachedAddon> => {
      const port = portFor(addon, context.say);
      const started = performance.now();
      const dataDir = join(context.stateDir, "addons", addon.name);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const what = `${addon.name} (${service.name} via ${choice.provider.kind})`;
      const start = choice.provider.start({ addon, service, image, appId: context.appId, runId: context.runId, dataDir, port, watch: context.watch }).then(adopt);
      start.catch(() => {}); // a start that fails after the deadline has nobody left to tell
      const run = await beforeDeadline(start, context.deadline);
      if (!run) throw new HokuError(`${what} did not start within ${seconds}: its provider was still starting it\n    hint: raise --addon-timeout (a first start may create its data)`);
      // A readiness check in flight at the deadline does not hold the start past it.
      const ready = await beforeDeadline(waitReady(service, run.endpoint, context.deadline - Date.now(), () => !failed && !run.hasExited?.()), context.deadline);
      if (!ready) {
        const logs = await run.recentLogs().catch(() => []);
        const why = run.hasExited?.() ? "exited before it was ready" : `was not ready after ${seconds}`;
        throw new HokuError(`${what} ${why}${logs.length ? `; its last lines:\n${logs.slice(-10).map((l) => `    ${l}`).join("\n")}` : ""}`);
      }
      context.say(`${service.name} ${addon.name} ready in ${((performance.now() - started) / 1000).toFixed(2)} s on 127.0.0.1:${run.endpoint.port} (${run.runner})`);
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

/** The promise's value, or undefined once the deadline passes first. */
async function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  let timer: Timer | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The add-on's own port when free, else any free one (said once). */
function portFor(addon: Addon, say: (line: string) => void): number {
  if (isPortFree(addon.port, "127.0.0.1")) return addon.port;
  const port = anyFreePort();
  say(`port ${addon.port} of ${addon.name} is taken; using ${port} for this run`);
  return port;
}
