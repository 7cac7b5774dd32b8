#!/usr/bin/env bun
/**
 * hoku's command line. Command groups live in src/cli, one file each, and are
 * imported only when their command runs, so `hoku --version` stays fast.
 * Errors meant for the user (HokuError) are caught here, once.
 */
import { Command, Option } from "commander";
import pkg from "../package.json" with { type: "json" };
import { HokuError } from "./app/problem.ts";

const program = new Command("hoku")
  .description("A local Heroku: run a twelve-factor app (Procfile, app.json, .env) on your machine, offline.")
  .version(pkg.version, "-v, --version")
  .enablePositionalOptions()
  .showHelpAfterError("(run `hoku help` for the list of commands)");

/** Options every command that loads an app shares. */
function appOptions(command: Command): Command {
  return command
    .option("-d, --dir <dir>", "the app directory (default: the Procfile's folder, else the nearest folder upwards with a Procfile or app.json)")
    .option("-f, --procfile <file>", "the Procfile to use (default: <dir>/Procfile)")
    .option("-e, --env <files>", "env files, comma-separated, later wins (default: .env)")
    .option("--shell-env-wins", "let the shell's environment override the env files")
    .option("--no-expand", "do not expand $VAR and ${VAR} in env files");
}

/** The `--addons` option: which provider runs the add-ons the command starts. */
function addonsOption(description = "provider for add-ons started for this command"): Option {
  return new Option("--addons <provider>", description).choices(["docker", "native", "embedded"]);
}

/** `--addons`: the provider for add-ons a command starts for itself. */
function providerOption(command: Command): Command {
  return command.addOption(addonsOption());
}

/**
 * Every command, by the names that select it. Only the command named on the command line
 * is defined (commander's set-up of all of them is ~1 ms of every start); help, typos and
 * no command at all get every one.
 */
const COMMANDS: readonly (readonly [names: readonly string[], define: (program: Command) => void])[] = [
  [
    ["start", "local", "local:start"],
    (p) =>
      appOptions(
        p
          .command("start")
          .aliases(["local", "local:start"])
          .description("run the app's process types, each in its own pseudo-terminal (heroku local)")
          .argument("[formation...]", "process types to start, as heroku local takes them: web, web=2, web=1,worker=2 (default: all but release)"),
      )
        .option("-p, --port <port>", "base port (default: PORT from env files, else the shell, else 5006)")
        .option("-m, --formation <spec>", "dynos per type, e.g. web=2,worker=1 or all=1")
        .option("--start-cmd <command>", "command to run as web when there is no Procfile (heroku local's flag)")
        .option("-t, --timeout <duration>", "grace between SIGTERM and SIGKILL on shutdown, e.g. 5, 500ms, 30s", "5s")
        .option("--backoff <duration>", "crash cool-off before a dyno's 3rd start, doubling after (Heroku: 10m)", "10m")
        .option("--exit-on-crash", "stop everything when any dyno exits, and exit with its code (foreman's behavior)")
        .option("--release", "also run the release process type, once, before the others")
        .addOption(new Option("--format <format>", "log line format").choices(["plain", "heroku"]).default("plain"))
        .addOption(new Option("--color <when>", "colored output").choices(["auto", "always", "never"]).default("auto"))
        .option("--no-tui", "plain output even on a terminal")
        .option("--scrollback <lines>", "lines of logs the terminal UI keeps per dyno", "10000")
        .addOption(addonsOption("run every add-on with this provider (default: docker, else native, else embedded)"))
        .option("--addon-timeout <duration>", "how long starting the add-ons may take, image pulls and readiness included", "60s")
        .addOption(new Option("-c, --concurrency <spec>", "heroku local's old flag: use a formation argument").hideHelp())
        .addOption(new Option("-r, --restart", "heroku local's old flag: hoku always restarts crashed dynos").hideHelp())
        .action(async (formation: string[], flags) => finish((await import("./cli/start.ts")).start(formation, flags))),
  ],
  [
    ["run", "local:run"],
    (p) =>
      appOptions(
        p
          .command("run")
          .alias("local:run")
          .description("run a one-off command with the app's environment, as process run.N (heroku local:run)")
          .argument("<command...>", "the command; several arguments are joined as heroku run joins them")
          .passThroughOptions(),
      )
        .option("-p, --port <port>", "set PORT for the command (default: none, as heroku local:run)")
        .addOption(addonsOption())
        .action(async (command: string[], flags) => finish((await import("./cli/run.ts")).run(command, flags))),
  ],
  [
    ["check"],
    (p) =>
      appOptions(
        p.command("check").description("validate the Procfile, env files and app.json, and list every problem"),
      ).action(async (flags) => finish((await import("./cli/check.ts")).check(flags))),
  ],
  [
    ["addons"],
    (p) =>
      appOptions(p.command("addons").description("list the app's add-ons")).action(async (flags) =>
        finish((await import("./cli/addons.ts")).listAddons(flags)),
      ),
  ],
  [
    ["addons:create"],
    (p) =>
      appOptions(
        p
          .command("addons:create")
          .description("create an add-on: SERVICE[:PLAN], e.g. heroku-postgresql:essential-0")
          .argument("<service>", "service[:plan]")
          .option("--as <name>", "attachment name: its config var is NAME_URL"),
      ).action(async (service: string, flags) => finish((await import("./cli/addons.ts")).createAddon(service, flags))),
  ],
  [
    ["addons:info"],
    (p) =>
      appOptions(p.command("addons:info").description("show an add-on").argument("<name>", "add-on name or attachment")).action(async (name: string, flags) =>
        finish((await import("./cli/addons.ts")).addonInfo(name, flags)),
      ),
  ],
  [
    ["addons:destroy"],
    (p) =>
      appOptions(
        p
          .command("addons:destroy")
          .description("destroy an add-on and its data")
          .argument("<name>", "add-on name or attachment")
          .option("--confirm <app>", "the app's name, to confirm"),
      ).action(async (name: string, flags) => finish((await import("./cli/addons.ts")).destroyAddon(name, flags))),
  ],
  [
    ["addons:repair"],
    (p) =>
      appOptions(p.command("addons:repair").description("rebuild the app's add-on records from the copies in their data folders")).action(async (flags) =>
        finish((await import("./cli/addons.ts")).repairAddons(flags)),
      ),
  ],
  [
    ["pg:promote"],
    (p) =>
      appOptions(p.command("pg:promote").description("make a Postgres add-on the app's DATABASE_URL").argument("<name>", "add-on name or attachment")).action(
        async (name: string, flags) => finish((await import("./cli/addons.ts")).promote(name, flags)),
      ),
  ],
  [
    ["pg:psql"],
    (p) =>
      providerOption(appOptions(p.command("pg:psql").description("open psql on DATABASE_URL or the named database").argument("[name]", "add-on name or attachment"))).action(
        async (name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).psql(name, flags)),
      ),
  ],
  [
    ["redis:cli"],
    (p) =>
      providerOption(appOptions(p.command("redis:cli").description("open redis-cli on REDIS_URL or the named Redis").argument("[name]", "add-on name or attachment"))).action(
        async (name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).redisCli(name, flags)),
      ),
  ],
  [
    ["pg:backups:capture"],
    (p) =>
      providerOption(appOptions(p.command("pg:backups:capture").description("dump a database to a backup (b001, b002, ...)").argument("[name]", "add-on name or attachment"))).action(
        async (name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).capture(name, flags)),
      ),
  ],
  [
    ["pg:backups:restore"],
    (p) =>
      appOptions(
        p
          .command("pg:backups:restore")
          .description("restore a backup into a database")
          .argument("<id>", "backup id, e.g. b001")
          .argument("[name]", "add-on name or attachment (default DATABASE_URL)")
          .option("--confirm <app>", "the app's name, to confirm")
          .addOption(addonsOption()),
      ).action(async (id: string, name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).restore(id, name, flags))),
  ],
  [
    ["local:version"],
    (p) => p.command("local:version").description("print hoku's version (heroku local:version)").action(() => console.log(pkg.version)),
  ],
];

const named = COMMANDS.filter(([names]) => names.includes(process.argv[2] ?? ""));
for (const [, define] of named.length > 0 ? named : COMMANDS) define(program);

// `hoku help nosuch`: commander would print the general help as if nothing were wrong.
const [first, second] = process.argv.slice(2);
if (first === "help" && second !== undefined && !COMMANDS.some(([names]) => names.includes(second))) {
  process.stderr.write(`hoku: unknown command '${second}'\n    hint: run \`hoku help\` for the list of commands\n`);
  process.exit(1);
}

/** Runs a command to its exit code, printing user errors without a stack trace. */
async function finish(result: Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await result;
  } catch (error) {
    if (!(error instanceof HokuError)) throw error;
    process.stderr.write(`hoku: ${error.message}\n`);
    code = error.exitCode;
  }
  // Let pending stdout/stderr writes reach a pipe before exiting.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write("", resolve))));
  process.exit(code);
}

await program.parseAsync(process.argv);
