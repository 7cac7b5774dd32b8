/**
 * `hoku logs` of a deployed app (LG-4): `-n` lines (default 100, at most 1500), `-t` to follow
 * (across releases; a dropped stream is re-opened where it left), `-s app|heroku`, `-d web.1`,
 * `-p web`. It reads the log session's stream of server-sent events, as the heroku CLI does.
 * A platform that stopped while following is waited for a few seconds (a restart), then said.
 */
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { say } from "./load.ts";
import { type AppFlag, targetApp } from "./target.ts";

export interface LogsFlags extends AppFlag {
  readonly num?: string;
  readonly tail?: boolean;
  readonly source?: string;
  readonly dynoName?: string;
  readonly processType?: string;
}

export async function logs(flags: LogsFlags): Promise<number> {
  const app = targetApp(flags);
  const client = await PlatformClient.connect(say);
  const session = await client.request<{ logplex_url: string }>("POST", `/apps/${app}/log-sessions`, {
    lines: Number(flags.num ?? 100),
    tail: flags.tail === true,
    source: flags.source,
    dyno: flags.dynoName ?? flags.processType,
  });
  let last = "";
  for (let first = true; ; first = false) {
    const response = await reopen(session.logplex_url, last);
    if (!first && !response.ok) throw new HokuError(`the platform no longer has this log stream (${response.status}): it restarted\n    hint: run hoku logs --tail again`);
    if (!response.ok || !response.body) return 1;
    let rest = "";
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        rest += decoder.decode(chunk, { stream: true });
        const events = rest.split("\n\n");
        rest = events.pop()!;
        for (const event of events) {
          for (const line of event.split("\n")) {
            if (line.startsWith("id: ")) last = line.slice(4);
            else if (line.startsWith("data: ")) process.stdout.write(`${line.slice(6)}\n`);
          }
        }
      }
    } catch {
      // a dropped stream: re-opened below when following
    }
    if (!flags.tail) return 0;
    await Bun.sleep(500);
  }
}

const PLATFORM_RESTART_MS = 5_000;

/** The log stream, from event `last` on; a platform that does not answer is asked again for a few seconds. */
async function reopen(url: string, last: string): Promise<Response> {
  const deadline = Date.now() + PLATFORM_RESTART_MS;
  for (;;) {
    try {
      return await fetch(url, { headers: { Accept: "text/event-stream", ...(last && { "Last-Event-ID": last }) } });
    } catch {
      if (Date.now() >= deadline) throw new HokuError("the platform stopped: no more log lines\n    hint: start it again (hoku platform:start), then run hoku logs again");
      await Bun.sleep(500);
    }
  }
}
