/**
 * Attached one-off dynos of a deployed app (`heroku run`, `hoku run -a APP cmd`, DY-10): `run.N`
 * with the current release's slug (a pristine copy, in the sandbox) and config vars. Its
 * process is reached through a rendezvous port, as Heroku's: the client connects, sends
 * `<secret>\r\n`, discards the first chunk it gets, then the connection is the dyno's terminal
 * (or, with `force_no_tty`, its stdin and output: one-off-process.ts) both ways; the dyno starts
 * when the client attaches and the connection closes when it exits. It is listed for `ps`
 * from its creation to its exit, `ps:stop` ends it, and it is never restarted.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Socket, TCPSocketListener } from "bun";
import { TAG_VAR } from "../runtime/kill.ts";
import { sessionContainment } from "../runtime/session-containment.ts";
import type { PemPair } from "./certificate.ts";
import type { LogStore } from "./log-store.ts";
import type { OneOffList } from "./one-off-list.ts";
import { type AttachedProcess, spawnAttached } from "./one-off-process.ts";
import { randomHex, randomInt } from "./random.ts";
import type { ReleaseRecord } from "./records/releases.ts";
import { configSnapshot } from "./records/releases.ts";
import type { Sandbox } from "./sandbox.ts";
import { STACK_ENV, STARTUP_SCRIPT } from "./stack-env.ts";

/** How long a prepared dyno waits for its client. */
const ATTACH_WINDOW_MS = 60_000;

/** A rendezvous connection: the secret line being read, then the dyno it is attached to. */
interface Attached {
  buffer: Uint8Array;
  dyno?: AttachedProcess;
}

/** What `run` asked for (POST /apps/:app/dynos with attach). */
export interface AttachRequest {
  /** What the dyno runs: the client's command, its first word resolved as a process type. */
  readonly command: string;
  /** The command as the client gave it (`ps` shows it). */
  readonly shown: string;
  readonly type: string;
  readonly env: Readonly<Record<string, string>>;
  /** The user who runs it, for the log (`Starting process with command ... by user ann@localhost`). */
  readonly user: string;
  /** Write heroku run's exit-status marker line once the command exits (hoku's client asks for it). */
  readonly exitStatus: boolean;
  /** `force_no_tty`: pipes instead of a terminal. */
  readonly noTty: boolean;
}

interface Pending extends AttachRequest {
  readonly appId: string;
  readonly name: string;
  readonly release: ReleaseRecord;
  readonly expires: number;
  /** What `ps:stop` does to it: forget it while it waits, end its processes once attached. */
  readonly control: { stop: () => Promise<void> };
}

/** heroku run's exit-status marker (lib/run/dyno.js): the CLI appends an echo of it; hoku's client asks the dyno to write it. */
export const EXIT_STATUS_MARKER = "\uFFFF heroku-command-exit-status: ";

export interface OneOffDeps {
  readonly logs: LogStore;
  readonly sandbox: Sandbox;
  /** `platform/`: slugs in `slugs/`, dyno copies in `dynos/`. */
  readonly dir: string;
  /** Tags the dyno's processes for the platform's reaper. */
  readonly runId: string;
  /** The rendezvous is TLS only, as Heroku's (the heroku CLI connects with tls.connect). */
  readonly tls: PemPair;
  /** Where running one-off dynos are listed (the dyno manager's list). */
  readonly list: OneOffList;
  /** SIGTERM to SIGKILL when `ps:stop` ends one (Heroku: 30 s). */
  readonly shutdownMs: number;
}

export class OneOffDynos {
  readonly #deps: OneOffDeps;
  readonly #pending = new Map<string, Pending>();
  #listener: TCPSocketListener<Attached> | undefined;

  constructor(deps: OneOffDeps) {
    this.#deps = deps;
  }

  /** Listens for attaching clients on 127.0.0.1 (a free port), over TLS. */
  listen(): number {
    this.#listener = Bun.listen<Attached>({
      hostname: "127.0.0.1",
      port: 0,
      tls: this.#deps.tls,
      socket: {
        open: (socket) => void (socket.data = { buffer: new Uint8Array(0) }),
        data: (socket, chunk) => {
          if (socket.data.dyno) return socket.data.dyno.write(chunk);
          const buffer = Buffer.concat([socket.data.buffer, chunk]);
          socket.data.buffer = buffer;
          const end = buffer.indexOf("\r\n");
          if (end < 0) return void (buffer.length > 1024 && socket.end("hoku: expected the dyno's secret, then CRLF\r\n"));
          const secret = buffer.subarray(0, end).toString();
          const pending = this.#pending.get(secret);
          this.#pending.delete(secret);
          if (!pending || pending.expires < Date.now()) return void socket.end("hoku: no such one-off dyno, or it expired\r\n");
          const dyno = this.#attach(pending, socket);
          // What the client sent right behind its secret (hoku's client does not wait for the first chunk) is the dyno's.
          const early = buffer.subarray(end + 2);
          if (early.length > 0) dyno?.write(early);
        },
        // The client went away: the dyno hangs up, as a closed terminal does.
        close: (socket) => socket.data.dyno?.hangup(),
      },
    });
    return this.#listener.port;
  }

  stop(): void {
    this.#listener?.stop(true);
  }

  /** A one-off dyno waiting for its client, listed as `starting`; returns its name and the rendezvous URL. */
  prepare(appId: string, release: ReleaseRecord, request: AttachRequest): { name: string; attachUrl: string } {
    const { list } = this.#deps;
    const name = list.freeName(appId, request.type);
    const secret = randomHex(24);
    const expires = Date.now() + ATTACH_WINDOW_MS;
    const unclaimed = async (why = "") => {
      if (!this.#pending.delete(secret)) return;
      list.remove(appId, name);
      this.#say(appId, name, `State changed from starting to down${why}`);
    };
    const control = { stop: () => unclaimed() };
    this.#pending.set(secret, { ...request, appId, name, release, expires, control });
    list.add({ appId, name, type: request.type, command: request.shown, releaseVersion: release.version, createdAt: new Date(), stop: () => control.stop() });
    setTimeout(() => void unclaimed(": no client attached within a minute"), ATTACH_WINDOW_MS).unref();
    return { name, attachUrl: `rendezvous://127.0.0.1:${this.#listener!.port}/${secret}` };
  }

  /** The dyno's environment: config vars, what the client forwards (TERM, COLUMNS, LINES, -e), DYNO, PORT, HOME. */
  env(release: ReleaseRecord, name: string, extra: Readonly<Record<string, string>>, home: string): Record<string, string> {
    return { ...STACK_ENV, ...configSnapshot(release), ...extra, DYNO: name, PORT: String(randomInt(20000, 60000)), HOME: home };
  }

  /** A pristine copy of the release's slug for one dyno; and how to run `command` there. */
  layout(release: ReleaseRecord, name: string, command: string): { workspace: string; cwd: string; argv: string[]; home: string } {
    const workspace = join(this.#deps.dir, "dynos", release.app_id, `${name}-${randomHex(4)}`);
    mkdirSync(join(workspace, ".."), { recursive: true, mode: 0o700 });
    const copy = Bun.spawnSync(["cp", "-a", join(this.#deps.dir, "slugs", release.slug_id!), workspace], { stderr: "pipe" });
    if (copy.exitCode !== 0) throw new Error(`cannot copy the slug: ${copy.stderr.toString().trim()}`);
    return { workspace, cwd: this.#deps.sandbox.cwd(workspace), argv: this.#deps.sandbox.wrap(workspace, ["bash", "-c", STARTUP_SCRIPT, command]), home: this.#deps.sandbox.home(workspace) };
  }

  #say(appId: string, name: string, text: string): void {
    this.#deps.logs.append(appId, { source: "heroku", dyno: name, text });
  }

  #attach(pending: Pending, socket: Socket<Attached>): AttachedProcess | undefined {
    const { appId, name } = pending;
    const { list } = this.#deps;
    const say = (text: string) => this.#say(appId, name, text);
    let layout: ReturnType<OneOffDynos["layout"]>;
    try {
      layout = this.layout(pending.release, name, pending.command);
    } catch (error) {
      list.remove(appId, name);
      socket.end(`hoku: ${error instanceof Error ? error.message : String(error)}\r\n`);
      return undefined;
    }
    say(`Starting process with command \`${pending.command}\` by user ${pending.user}`);
    const tag = `${this.#deps.runId}/${name}/1`;
    const env: Record<string, string> = { ...this.env(pending.release, name, pending.env, layout.home), [TAG_VAR]: tag };
    // The client drops the first chunk it receives: this line is that chunk.
    socket.write("rendezvous\r\n");
    const terminal = pending.noTty ? undefined : { cols: Number(pending.env.COLUMNS) || 80, rows: Number(pending.env.LINES) || 24 };
    const dyno = spawnAttached(layout.argv, { cwd: layout.cwd, env, terminal, output: (data) => void socket.write(data) });
    socket.data.dyno = dyno;
    say("State changed from starting to up");
    list.move(appId, name, "up");
    let exited = false;
    // ps:stop: SIGTERM to every process of the dyno (not to a sandbox's own process), SIGKILL after the grace.
    const target = { pgid: dyno.pid, tag, ...(this.#deps.sandbox.kind === "bubblewrap" && { sandbox: dyno.pid }) };
    const containment = sessionContainment(this.#deps.runId);
    pending.control.stop = async () => {
      if (exited) return;
      say("Stopping all processes with SIGTERM");
      containment.signal([target], "SIGTERM");
      const grace = Bun.sleep(this.#deps.shutdownMs).then(() => "late" as const);
      if ((await Promise.race([dyno.exited, grace])) === "late" && !exited) {
        say(`Error R12 (Exit timeout) -> At least one process failed to exit within ${+(this.#deps.shutdownMs / 1000).toFixed(3)} seconds of SIGTERM`);
        say("Stopping remaining processes with SIGKILL");
        containment.signal([target], "SIGKILL");
        await dyno.exited;
      }
    };
    void dyno.exited.then((status) => {
      exited = true;
      list.remove(appId, name);
      say(`Process exited with status ${status}`);
      say("State changed from up to complete");
      socket.end(pending.exitStatus ? `${EXIT_STATUS_MARKER}${status}\r\n` : undefined);
      containment.signal([target], "SIGKILL"); // the dyno ends with its main process
      rmSync(layout.workspace, { recursive: true, force: true });
    });
    return dyno;
  }
}
