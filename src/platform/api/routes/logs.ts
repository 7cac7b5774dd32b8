/**
 * Log sessions (POST /apps/:app/log-sessions) and the streams they point at (`/log-streams/<secret>`,
 * read by URL as Logplex URLs are, so no token).
 */
import type { Platform } from "../../platform.ts";
import { formatLogLine, type LogFilter, matches } from "../../log-store.ts";
import { body, json, notFound } from "../http.ts";
import type { RouteContext, Routes } from "./context.ts";

/** Log sessions handed out by POST /log-sessions: secret -> what to stream. */
interface LogSession {
  readonly appId: string;
  readonly lines: number;
  readonly tail: boolean;
  readonly filter: LogFilter;
}

export function logRoutes(c: RouteContext): Routes {
  const logSessions = new Map<string, LogSession>();
  return {
    "/apps/:app/log-sessions": {
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ lines?: number; tail?: boolean; source?: string; dyno?: string; type?: string }>(request);
        const secret = crypto.randomUUID();
        logSessions.set(secret, {
          appId: record.id,
          lines: Math.min(1500, Math.max(0, Number(given.lines ?? 100) || 100)),
          tail: given.tail === true,
          filter: { source: given.source || undefined, dyno: given.dyno || given.type || undefined },
        });
        const now = new Date().toISOString();
        return json({ id: secret, logplex_url: `${c.settings.apiUrl}/log-streams/${secret}`, created_at: now, updated_at: now }, 201);
      }),
    },
    "/log-streams/:secret": { GET: c.guard((request, params) => logStream(c.platform, logSessions.get(params.secret!), request), { open: true }) },
  };
}

/**
 * A log session's lines as server-sent events (the heroku CLI reads `logplex_url` with an
 * EventSource): one event per line with its sequence number as id, so a reader that
 * reconnects with Last-Event-ID resumes; `tail` keeps the stream open with new lines.
 */
function logStream(platform: Platform, session: LogSession | undefined, request: Request): Response {
  if (!session) throw notFound("log session");
  const after = Number(request.headers.get("last-event-id") ?? 0) || 0;
  const backlog = platform.logs.recent(session.appId, after > 0 ? 1500 : session.lines, session.filter, after);
  const event = (line: (typeof backlog)[number]) => `id: ${line.seq}\ndata: ${formatLogLine(line)}\n\n`;
  let stop = () => {};
  const stream = new ReadableStream<string>({
    start(controller) {
      for (const line of backlog) controller.enqueue(event(line));
      if (!session.tail) return controller.close();
      stop = platform.logs.follow(session.appId, (line) => {
        if (matches(line, session.filter)) controller.enqueue(event(line));
      });
      request.signal.addEventListener("abort", () => stop());
    },
    cancel: () => stop(),
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
}
