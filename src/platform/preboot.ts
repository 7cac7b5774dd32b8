/**
 * Preboot (Dev Center: preboot), the app feature `preboot`: a new release's web dynos start
 * beside the old release's, the router moves to them once every one is `up`, and only then do
 * the old dynos stop, so a deploy, config change or rollback has no gap. Without it, Heroku's
 * default: the old dynos leave routing and stop as the new ones start, and requests in the gap
 * wait for a starting dyno (the router's H20 queue).
 *
 * Heroku moves the traffic about 2 minutes after the new dynos start, whether they are ready
 * or not; hoku need not wait that long: it moves as soon as all of them are up (bound $PORT),
 * or once the boot timeout (R10) has passed, when Heroku would have moved anyway.
 */
import type { AppRun } from "../runtime/app-run.ts";
import { parseFeatureFlags } from "./app-features.ts";

/** Whether the app has `heroku features:enable preboot`. */
export function prebootEnabled(app: { readonly features: string } | undefined): boolean {
  return app !== undefined && parseFeatureFlags(app.features).preboot === true;
}

/** How the wait for a new release's web dynos ended: all `up`, the run stopped (a newer release, apps:destroy), or too late. */
export type Preboot = "up" | "stopped" | "late";

/** Resolves once every web dyno of `run` is up (at once if it has none), `run` is stopping, or `maxMs` has passed. */
export function prebooted(run: AppRun, maxMs: number): Promise<Preboot> {
  return new Promise((resolve) => {
    let finished = false;
    const finish = (how: Preboot) => {
      if (finished) return;
      finished = true;
      unsubscribe();
      clearTimeout(timer);
      resolve(how);
    };
    const check = () => {
      if (run.stopCode !== undefined) return finish("stopped");
      const web = run.supervisor.dynos().filter((d) => d.spec.type === "web" && !d.spec.oneOff);
      if (web.every((d) => d.state === "up")) finish("up");
    };
    const unsubscribe = run.bus.subscribe((event) => void (event.kind === "state" && check()));
    const timer = setTimeout(() => finish("late"), maxMs);
    check();
  });
}
