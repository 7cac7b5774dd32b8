/**
 * The app's add-on config vars for a command that needs them now (`run`, `pg:psql`,
 * backups): those of a running `hoku start` of the app when there is one, else the
 * add-ons are started for the command and stopped after it.
 */
import type { ProviderKind } from "./provider.ts";
import { appAddons } from "../platform/app-addons.ts";
import type { LoadedApp } from "../platform/load-app.ts";
import { randomHex } from "../platform/random.ts";
import { type Reaper, startReaper } from "../runtime/reaper.ts";
import { runAddons, runningAddonVars } from "./addon-run.ts";

export interface AddonSession {
  readonly vars: Readonly<Record<string, string>>;
  /** Whether the add-ons were started for this command (and will stop after it). */
  readonly ownsAddons: boolean;
  close(): Promise<void>;
}

/** `reaper`: the caller's, when it has one for its own processes (hoku run); else one of its own. */
export async function openAddons(
  app: LoadedApp,
  options: { addons?: ProviderKind; readyTimeoutMs: number },
  say: (line: string) => void,
  owned?: { runId: string; reaper: Reaper },
): Promise<AddonSession> {
  const { appId, state } = appAddons(app, say);
  if (state.addons.length === 0) return { vars: {}, ownsAddons: false, close: async () => {} };
  const running = runningAddonVars(appId);
  if (running) return { vars: running, ownsAddons: false, close: async () => {} };
  const runId = owned?.runId ?? randomHex(6);
  const reaper = owned?.reaper ?? startReaper(runId);
  const release = () => owned || reaper.release();
  try {
    const run = await runAddons(app, options, { runId, reaper }, say);
    return {
      vars: run.vars,
      ownsAddons: true,
      async close() {
        await run.stop();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
