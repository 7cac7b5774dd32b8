/**
 * `hoku run -a APP CMD` (or in a repository whose hoku remote names an app): a one-off dyno of
 * the deployed app's current release, as `heroku run` (DY-10). It prints ``Running `cmd` on ⬢ app...
 * up, run.1234``, attaches to the dyno's terminal through its rendezvous URL (raw keys and window
 * size on a terminal; piped input otherwise, ended with ^D as heroku run ends it) and exits with
 * the command's status, which the command reports through heroku run's marker line. `--no-tty`
 * asks for a dyno without a terminal (`force_no_tty`: plain pipes, piped input not echoed back).
 * `--detach` runs it with its output in the logs.
 */
import { connect } from "node:tls";
import { HokuError } from "../app/problem.ts";
import { runCommand, setVars } from "../app/run-command.ts";
import { PlatformClient } from "../platform/client.ts";
import { action } from "./action.ts";
import { say } from "./load.ts";

/** heroku run's exit-status marker (lib/run/dyno.js). */
const MARKER = "\uFFFF heroku-command-exit-status: ";

interface Dyno {
  readonly name: string;
  readonly size: string;
  readonly attach_url: string | null;
}

export async function runDeployed(app: string, argv: readonly string[], flags: { detach?: boolean; set?: string; tty?: boolean }): Promise<number> {
  const command = runCommand(argv);
  const client = await PlatformClient.connect(say);
  const noTty = flags.tty === false;
  const tty = !noTty && process.stdin.isTTY && process.stdout.isTTY;
  const env: Record<string, string> = { TERM: process.env.TERM ?? "xterm-256color", ...(tty && { COLUMNS: String(process.stdout.columns), LINES: String(process.stdout.rows) }) };
  Object.assign(env, setVars(flags.set));
  const dyno = await action(
    `Running \`${command}\` on ⬢ ${app}`,
    () => client.request<Dyno>("POST", `/apps/${app}/dynos`, { command, attach: !flags.detach, exit_status: true, force_no_tty: noTty, env }),
    // heroku run:detached: "done", and the next step on stdout.
    (d) => `${flags.detach || !d.attach_url ? "done" : "up"}, ${d.name} (${d.size})`,
  );
  if (flags.detach || !dyno.attach_url) {
    process.stdout.write(`Run hoku logs --app ${app} --dyno ${dyno.name} to view the output.\n`);
    return 0;
  }
  return attach(dyno.attach_url, await Bun.file(client.info.caFile).text(), tty);
}

/**
 * Connects to a rendezvous URL (TLS, trusting the platform's CA `ca`) and is the dyno's terminal
 * until it exits; resolves the command's status.
 */
async function attach(url: string, ca: string, tty: boolean): Promise<number> {
  const { hostname, port, pathname } = new URL(url.replace(/^rendezvous:/, "http:"));
  let first = true;
  let held = "";
  let status = 255;
  const decoder = new TextDecoder();
  const show = (text: string) => {
    held += text;
    const at = held.indexOf(MARKER);
    if (at >= 0) {
      const end = held.indexOf("\n", at);
      if (end < 0) return; // the marker line is still coming
      status = Number(held.slice(at + MARKER.length, end).trim());
      process.stdout.write(held.slice(0, at));
      held = held.slice(end + 1);
    }
    // Hold back only what could be the start of the marker.
    const keep = held.lastIndexOf("\uFFFF");
    const out = keep >= 0 ? held.slice(0, keep) : held;
    process.stdout.write(out);
    held = held.slice(out.length);
  };
  // node:tls, as heroku run uses: it buffers what is written before the handshake or under backpressure.
  const socket = connect({ host: hostname, port: Number(port), ca, servername: hostname === "127.0.0.1" ? undefined : hostname });
  const closed = new Promise<void>((resolve) => {
    socket.on("close", () => resolve());
    socket.on("error", (error) => {
      process.stderr.write(`hoku: the one-off dyno's connection failed: ${error.message}\n`);
      resolve();
    });
  });
  socket.write(`${pathname.slice(1)}\r\n`);
  socket.on("data", (data: Buffer) => {
    if (first) return void (first = false); // the rendezvous's first chunk is dropped, as heroku run does
    show(decoder.decode(data, { stream: true }));
  });
  const stdin = process.stdin;
  const input = (chunk: Buffer) => void socket.write(chunk);
  if (tty) stdin.setRawMode(true);
  stdin.on("data", input);
  stdin.on("end", () => void socket.write("\x04"));
  stdin.resume();
  try {
    await closed;
  } finally {
    stdin.off("data", input);
    if (tty) stdin.setRawMode(false);
    stdin.pause();
  }
  process.stdout.write(held);
  return status;
}
