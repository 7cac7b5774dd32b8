/**
 * Log sessions (POST /apps/:app/log-sessions) and the streams they point at (`/log-streams/<secret>`,
 * read by URL as Logplex URLs are, so no token).
 *
 * A stream is server-sent events, one per line with its sequence number as id. A following
 * (`tail`) stream that has had nothing to send for the idle timeout ends, as Heroku's do; the
 * heroku CLI's EventSource then opens it again with Last-Event-ID and it resumes after that
 * line, so nothing is lost or shown twice. A session's URL keeps working while it is read and
 * for six minutes after (Logplex's session lifetime); then it is a 404, which the CLI reports as
 * "Log stream timed out. Please try again."
 */
import type { Platform } from "../../platform.ts";
import { formatLogLine, type LogFilter, type LogLine, matches } from "../../log-store.ts";
import { body, json, notFound } from "../http.ts";
import type { RouteContext, Routes } from "./context.ts";

/** How long a session's URL works after its last reader left (Logplex: 6 minutes). */
const SESSION_TTL_MS = 6 * 60_000;

/** A following stream with nothing to send this long ends (the client reopens it); settings.logIdleMs overrides. */
export const LOG_IDLE_MS = 5 * 60_000;

/** Log sessions handed out by POST /log-sessions: secret -> what to stream. */
interface LogSession {
  readonly appId: string;
  readonly lines: number;
  readonly tail: boolean;
  readonly filter: LogFilter;
  /** Readers now; the session is kept while there is one. */
  readers: number;
  /** When the last reader left (or the session was made). */
  idleSince: number;
  /** The last line any stream of this session went past: where a reconnect without Last-Event-ID resumes. */
  cursor: number;
}

export function logRoutes(c: RouteContext): Routes {
  const sessions = new Map<string, LogSession>();
  const idleMs = c.settings.logIdleMs ?? LOG_IDLE_MS;
  const sweep = () => {
    for (const [secret, s] of sessions) if (s.readers === 0 && Date.now() - s.idleSince > SESSION_TTL_MS) sessions.delete(secret);
  };
  return {
    "/apps/:app/log-sessions": {
      POST: c.guard(async (request, params) => {
        const record = c.app(params);
        const given = await body<{ lines?: number; tail?: boolean; source?: string; dyno?: string; type?: string }>(request);
        sweep();
        const secret = crypto.randomUUID();
        sessions.set(secret, {
          appId: record.id,
          lines: Math.min(1500, Math.max(0, Number(given.lines ?? 100) || 100)),
          tail: given.tail === true,
          filter: { source: given.source || undefined, dyno: given.dyno || given.type || undefined },
          readers: 0,
          idleSince: Date.now(),
          cursor: 0,
        });
        const now = new Date().toISOString();
        return json({ id: secret, logplex_url: `${c.settings.apiUrl}/log-streams/${secret}`, created_at: now, updated_at: now }, 201);
      }),
    },
    "/log-streams/:secret": {
      GET: c.guard((request, params) => {
        sweep();
        const session = sessions.get(params.secret!);
        if (!session) throw notFound("log session");
        return logStream(c.platform, session, request, idleMs);
      }, { open: true }),
    },
  };
}

/**
 * A session's lines as server-sent events: its backlog (the last `lines`, or what came after
 * Last-Event-ID, or after where the session's last stream stopped), then, when it follows, new
 * lines as they come until the client leaves or nothing came for `idleMs`.
 */
function logStream(platform: Platform, session: LogSession, request: Request, idleMs: number): Response {
  const lastEventId = Number(request.headers.get("last-event-id") ?? 0) || 0;
  const after = lastEventId || session.cursor;
  const backlog = platform.logs.recent(session.appId, after > 0 ? 1500 : session.lines, session.filter, after);
  const event = (line: LogLine) => `id: ${line.seq}\ndata: ${formatLogLine(line)}\n\n`;
  session.readers++;
  let closed = false;
  let stop = () => {};
  let idle: ReturnType<typeof setTimeout> | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    stop();
    clearTimeout(idle);
    session.readers--;
    session.idleSince = Date.now();
  };
  const stream = new ReadableStream<string>({
    start(controller) {
      const end = () => {
        close();
        try {
          controller.close();
        } catch {
          // the client already left
        }
      };
      const send = (line: LogLine) => {
        session.cursor = Math.max(session.cursor, line.seq);
        if (matches(line, session.filter)) controller.enqueue(event(line));
      };
      for (const line of backlog) send(line);
      session.cursor = Math.max(session.cursor, platform.logs.recent(session.appId, 1).at(-1)?.seq ?? 0);
      if (!session.tail) return end();
      const restartIdle = () => {
        clearTimeout(idle);
        idle = setTimeout(end, idleMs);
      };
      restartIdle();
      stop = platform.logs.follow(session.appId, (line) => {
        send(line);
        if (matches(line, session.filter)) restartIdle();
      });
      request.signal.addEventListener("abort", close);
    },
    cancel: close,
  });
  return new Response(stream, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });
}
