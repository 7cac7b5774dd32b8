/**
 * `hoku logs` of a deployed app (LG-4): `-n` lines (default 100, at most 1500), `-t` to follow
 * (across releases; a dropped stream is re-opened where it left), `-s app|heroku`, `-d web.1`,
 * `-p web`. It reads the log session's stream of server-sent events, as the heroku CLI does.
 */
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
  for (;;) {
    const response = await fetch(session.logplex_url, { headers: { Accept: "text/event-stream", ...(last && { "Last-Event-ID": last }) } });
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
