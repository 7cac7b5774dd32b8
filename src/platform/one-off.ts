/**
 * One-off dynos of a deployed app (`hoku run -a APP cmd`, DY-10): `run.N` with the current
 * release's slug (a pristine copy, in the sandbox) and config vars. Attached, its terminal
 * (a PTY) is reached through a rendezvous port, as Heroku's: the client connects, sends
 * `<secret>\r\n`, discards the first chunk it gets, then the connection is the dyno's terminal
 * both ways; the dyno starts when the client attaches and the connection closes when it exits.
 * Detached, it runs like any dyno with its output in the app's logs. Never restarted.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Socket, TCPSocketListener } from "bun";
import { TAG_VAR } from "../runtime/kill.ts";
import { exitStatus } from "../runtime/pty-process.ts";
import type { PemPair } from "./certificate.ts";
import type { LogStore } from "./log-store.ts";
import { randomHex, randomInt } from "./random.ts";
import type { ReleaseRecord } from "./records/releases.ts";
import { configSnapshot } from "./records/releases.ts";
import type { Sandbox } from "./sandbox.ts";

/** Sources .profile.d and .profile, then runs the command in $0 (as formation dynos, DY-3). */
const PROFILE = 'for f in "$HOME"/.profile.d/*.sh; do [ -r "$f" ] && . "$f"; done; if [ -r "$HOME/.profile" ]; then . "$HOME/.profile"; fi; exec bash -c "$0"';

/** A rendezvous connection: the secret line being read, then the dyno it is the terminal of. */
interface Attached {
  buffer: string;
  write?: (data: Uint8Array) => void;
  proc?: { kill(signal?: number | NodeJS.Signals): void };
}

interface Pending {
  readonly appId: string;
  readonly name: string;
  readonly command: string;
  readonly env: Record<string, string>;
  readonly release: ReleaseRecord;
  readonly cols: number;
  readonly rows: number;
  readonly expires: number;
  /** Write heroku run's exit-status marker line once the command exits (hoku's client asks for it). */
  readonly exitStatus: boolean;
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
        open: (socket) => void (socket.data = { buffer: "" }),
        data: (socket, chunk) => {
          if (socket.data.write) return socket.data.write(chunk);
          socket.data.buffer += chunk.toString();
          const end = socket.data.buffer.indexOf("\r\n");
          if (end < 0) return;
          const pending = this.#pending.get(socket.data.buffer.slice(0, end));
          this.#pending.delete(socket.data.buffer.slice(0, end));
          if (!pending || pending.expires < Date.now()) return void socket.end("hoku: no such one-off dyno, or it expired\r\n");
          this.#attach(pending, socket);
        },
        // The client went away: the dyno hangs up, as a closed terminal does.
        close: (socket) => socket.data.proc?.kill("SIGHUP"),
      },
    });
    return this.#listener.port;
  }

  stop(): void {
    this.#listener?.stop(true);
  }

  /** A one-off dyno waiting for its client; returns its name and the rendezvous URL. */
  prepare(appId: string, release: ReleaseRecord, command: string, env: Readonly<Record<string, string>>, exitStatus = false): { name: string; attachUrl: string } {
    const name = `run.${randomInt(1000, 10000)}`;
    const secret = randomHex(24);
    const cols = Number(env.COLUMNS) || 80;
    const rows = Number(env.LINES) || 24;
    this.#pending.set(secret, { appId, name, command, env: { ...env }, release, cols, rows, expires: Date.now() + 60_000, exitStatus });
    return { name, attachUrl: `rendezvous://127.0.0.1:${this.#listener!.port}/${secret}` };
  }

  /** The dyno's environment: config vars, DYNO, PORT, what the client forwards (TERM, COLUMNS, LINES). */
  env(release: ReleaseRecord, name: string, extra: Readonly<Record<string, string>>, home: string): Record<string, string> {
    return { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "en_US.UTF-8", STACK: "heroku-24", ...configSnapshot(release), ...extra, DYNO: name, PORT: String(randomInt(20000, 60000)), HOME: home };
  }

  /** A pristine copy of the release's slug for one dyno; and how to run `command` there. */
  layout(release: ReleaseRecord, name: string, command: string): { workspace: string; cwd: string; argv: string[]; home: string } {
    const workspace = join(this.#deps.dir, "dynos", release.app_id, `${name}-${randomHex(4)}`);
    mkdirSync(join(workspace, ".."), { recursive: true, mode: 0o700 });
    const copy = Bun.spawnSync(["cp", "-a", join(this.#deps.dir, "slugs", release.slug_id!), workspace], { stderr: "pipe" });
    if (copy.exitCode !== 0) throw new Error(`cannot copy the slug: ${copy.stderr.toString().trim()}`);
    return { workspace, cwd: this.#deps.sandbox.cwd(workspace), argv: this.#deps.sandbox.wrap(workspace, ["bash", "-c", PROFILE, command]), home: this.#deps.sandbox.home(workspace) };
  }

  #attach(pending: Pending, socket: Socket<Attached>): void {
    const { logs } = this.#deps;
    const say = (text: string) => logs.append(pending.appId, { source: "heroku", dyno: pending.name, text });
    let layout: ReturnType<OneOffDynos["layout"]>;
    try {
      layout = this.layout(pending.release, pending.name, pending.command);
    } catch (error) {
      return void socket.end(`hoku: ${error instanceof Error ? error.message : String(error)}\r\n`);
    }
    say(`Starting process with command \`${pending.command}\` by user`);
    const env: Record<string, string> = { ...this.env(pending.release, pending.name, pending.env, layout.home), [TAG_VAR]: `${this.#deps.runId}/${pending.name}/1` };
    // The client drops the first chunk it receives: this line is that chunk.
    socket.write("rendezvous\r\n");
    const proc = Bun.spawn(layout.argv, {
      cwd: layout.cwd,
      env,
      terminal: { cols: pending.cols, rows: pending.rows, name: env.TERM ?? "xterm-256color", data: (_t, data) => void socket.write(data) },
    });
    say("State changed from starting to up");
    socket.data.proc = proc;
    socket.data.write = (data) => void (proc.terminal?.closed || proc.terminal?.write(data));
    void proc.exited.then(() => {
      const status = exitStatus(proc.exitCode, proc.signalCode);
      say(`Process exited with status ${status}`);
      say("State changed from up to complete");
      proc.terminal?.close();
      socket.end(pending.exitStatus ? `${EXIT_STATUS_MARKER}${status}\r\n` : undefined);
      rmSync(layout.workspace, { recursive: true, force: true });
    });
  }
}
