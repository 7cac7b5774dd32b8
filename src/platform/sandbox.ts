/**
 * Where a deployed app's dyno runs. With bubblewrap (Debian's `bubblewrap`) each dyno sees its
 * slug copy at `/app` (HOME=/app, as on Heroku), a private `/tmp` and PID namespace, the rest
 * of the machine read-only with the stack's /etc/bash.bashrc (stack-env.ts), and dies with the platform. Elsewhere (no bwrap, or a kernel that
 * refuses unprivileged user namespaces) it runs in its slug copy's folder, which is its HOME.
 * Probed once per platform; `platform:status` says which and why.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_BASHRC } from "./stack-env.ts";

export interface Sandbox {
  readonly kind: "bubblewrap" | "folder";
  /** Why this kind (the probe's result). */
  readonly why: string;
  /** HOME as the dyno sees it. */
  home(workspace: string): string;
  /** The command line that runs `argv` with `workspace` as the app. */
  wrap(workspace: string, argv: readonly string[]): string[];
  /** The folder the dyno starts in. */
  cwd(workspace: string): string;
}

const folder = (why: string): Sandbox => ({
  kind: "folder",
  why,
  home: (workspace) => workspace,
  wrap: (_workspace, argv) => [...argv],
  cwd: (workspace) => workspace,
});

/** Top-level folders a dyno sees read-only (all but those bwrap makes itself). */
function sharedRoots(): string[] {
  const own = new Set(["app", "proc", "dev", "tmp"]);
  return readdirSync("/").filter((name) => !own.has(name)).map((name) => `/${name}`);
}

/** `bashrc`: the stack's bash.bashrc, laid over the machine's (which must exist: bwrap cannot make a file in a read-only folder). */
const bubblewrap = (bwrap: string, bashrc?: string): Sandbox => ({
  kind: "bubblewrap",
  why: `${bwrap} works here`,
  home: () => "/app",
  wrap: (workspace, argv) => [
    bwrap,
    "--die-with-parent",
    "--unshare-pid",
    ...sharedRoots().flatMap((root) => ["--ro-bind-try", root, root]),
    ...(bashrc ? ["--ro-bind", bashrc, "/etc/bash.bashrc"] : []),
    "--proc", "/proc",
    "--dev", "/dev",
    "--tmpfs", "/tmp",
    "--bind", workspace, "/app",
    "--chdir", "/app",
    ...argv,
  ],
  cwd: () => "/",
});

/** Probes bubblewrap once: it works if it can run `true` the way a dyno would run. `dir` gets the stack's files. */
export function probeSandbox(dir: string, env: Readonly<Record<string, string | undefined>> = process.env): Sandbox {
  if (env.HOKU_SANDBOX === "folder") return folder("HOKU_SANDBOX=folder");
  const bwrap = Bun.which("bwrap");
  if (!bwrap) return folder("bubblewrap is not installed (apt-get install bubblewrap)");
  let bashrc: string | undefined;
  if (existsSync("/etc/bash.bashrc")) {
    mkdirSync(join(dir, "stack"), { recursive: true });
    writeFileSync((bashrc = join(dir, "stack", "bash.bashrc")), STACK_BASHRC);
  }
  const sandbox = bubblewrap(bwrap, bashrc);
  const probe = Bun.spawnSync(sandbox.wrap("/tmp", ["true"]), { stdout: "ignore", stderr: "pipe" });
  if (probe.exitCode === 0) return sandbox;
  return folder(`bubblewrap cannot run here: ${probe.stderr.toString().trim() || `exit ${probe.exitCode}`}`);
}
