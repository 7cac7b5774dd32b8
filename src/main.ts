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

/** `--set K=V;K2=V` (heroku run's -e), repeatable: each use adds its pairs. */
function setOption(): Option {
  return new Option("--set <pairs>", "extra vars for the command, KEY=value;KEY2=value2, repeatable (heroku run's -e; hoku's -e names env files)").argParser((pairs: string, before: string | undefined) =>
    before ? `${before};${pairs}` : pairs,
  );
}

/** `-a/--app` and `-r/--remote`: a deployed app, as every heroku CLI app command takes it. */
function appFlag(command: Command): Command {
  return command.option("-a, --app <app>", "the deployed app (default: the one the repository's hoku remote names)").option("-r, --remote <remote>", "the git remote naming the app (default: hoku)");
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
    ["run", "run:detached"],
    (p) =>
      appFlag(
        appOptions(
          p
            .command("run")
            .alias("run:detached")
            .description("a one-off dyno: of the deployed app with -a or a hoku remote (heroku run), else of the working tree (local:run)")
            .argument("<command...>", "the command; several arguments are joined as heroku run joins them")
            .passThroughOptions(),
        ),
      )
        .option("-p, --port <port>", "working tree: set PORT for the command (default: none, as heroku local:run)")
        .option("--detach", "deployed app: run it detached, its output in the logs (run:detached)")
        .addOption(setOption())
        .option("--no-tty", "no terminal for the command, even on one: plain pipes, input not echoed (heroku run's --no-tty)")
        .addOption(addonsOption())
        .action(async (command: string[], flags) => {
          const { deployedApp } = await import("./cli/target.ts");
          const app = deployedApp(flags);
          const detach = flags.detach || process.argv[2] === "run:detached";
          if (app) return finish((await import("./cli/run-deployed.ts")).runDeployed(app, command, { ...flags, detach }));
          return finish((await import("./cli/run.ts")).run(command, { ...flags, detach }));
        }),
  ],
  [
    ["local:run"],
    (p) =>
      appOptions(
        p
          .command("local:run")
          .description("run a one-off command with the working tree's environment, as process run.N (heroku local:run)")
          .argument("<command...>", "the command; several arguments are joined as heroku run joins them")
          .passThroughOptions(),
      )
        .option("-p, --port <port>", "set PORT for the command (default: none, as heroku local:run)")
        .addOption(setOption())
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
      appFlag(appOptions(p.command("addons").description("list the app's add-ons (the working tree's, or a deployed app's with -a)"))).action(async (flags) =>
        finish((await import("./cli/addons.ts")).listAddons(flags)),
      ),
  ],
  [
    ["addons:create"],
    (p) =>
      appFlag(
        appOptions(
          p
            .command("addons:create")
            .description("create an add-on: SERVICE[:PLAN], e.g. heroku-postgresql:essential-0")
            .argument("<service>", "service[:plan]")
            .option("--as <name>", "attachment name: its config var is NAME_URL"),
        ),
      ).action(async (service: string, flags) => finish((await import("./cli/addons.ts")).createAddon(service, flags))),
  ],
  [
    ["addons:info"],
    (p) =>
      appFlag(appOptions(p.command("addons:info").description("show an add-on").argument("<name>", "add-on name or attachment"))).action(async (name: string, flags) =>
        finish((await import("./cli/addons.ts")).addonInfo(name, flags)),
      ),
  ],
  [
    ["addons:destroy"],
    (p) =>
      appFlag(
        appOptions(
          p
            .command("addons:destroy")
            .description("destroy an add-on and its data")
            .argument("<name>", "add-on name or attachment")
            .option("--confirm <app>", "the app's name, to confirm"),
        ),
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
      providerOption(appFlag(appOptions(p.command("pg:psql").description("open psql on DATABASE_URL or the named database").argument("[name]", "add-on name or attachment")))).action(
        async (name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).psql(name, flags)),
      ),
  ],
  [
    ["redis:cli"],
    (p) =>
      providerOption(appFlag(appOptions(p.command("redis:cli").description("open redis-cli on REDIS_URL or the named Redis").argument("[name]", "add-on name or attachment")))).action(
        async (name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).redisCli(name, flags)),
      ),
  ],
  [
    ["pg:backups:capture"],
    (p) =>
      providerOption(appFlag(appOptions(p.command("pg:backups:capture").description("dump a database to a backup (b001, b002, ...)").argument("[name]", "add-on name or attachment")))).action(
        async (name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).capture(name, flags)),
      ),
  ],
  [
    ["pg:backups:restore"],
    (p) =>
      appFlag(appOptions(
        p
          .command("pg:backups:restore")
          .description("restore a backup into a database")
          .argument("<id>", "backup id, e.g. b001")
          .argument("[name]", "add-on name or attachment (default DATABASE_URL)")
          .option("--confirm <app>", "the app's name, to confirm")
          .addOption(addonsOption()),
      )).action(async (id: string, name: string | undefined, flags) => finish((await import("./cli/addon-tools.ts")).restore(id, name, flags))),
  ],
  [
    ["platform"],
    (p) =>
      p
        .command("platform")
        .description("run the local platform in the foreground: API, git and router, every app's log lines (Ctrl-C stops it all)")
        .option("--port <port>", "API and git port on 127.0.0.1 (default: HOKU_PLATFORM_PORT, else 7700)")
        .option("--tls-port <port>", "the API and git over TLS, for the heroku CLI (default: HOKU_PLATFORM_TLS_PORT, else 7743)")
        .option("--router-port <port>", "router port on 127.0.0.1 (default: HOKU_ROUTER_PORT, else 7780)")
        .option("--shutdown-timeout <duration>", "grace between SIGTERM and SIGKILL for dynos (Heroku: 30s)", "30s")
        .option("--boot-timeout <duration>", "R10: how long a web dyno may take to bind $PORT (Heroku: 60s)", "60s")
        .option("--release-timeout <duration>", "how long a release command may run before it is stopped and its release fails (Heroku: 1h)", "1h")
        .option("--backoff <duration>", "crash cool-off before a dyno's 3rd start, doubling after (Heroku: 10m)", "10m")
        .option("--memory-quota <MB>", "a dyno's memory quota: R14 over it, R15 and SIGKILL at twice it (Heroku's Basic: 512)", "512")
        .option("--cycle <duration>", "daily cycling: a dyno is restarted (`Cycling`) this long after it started, plus up to 15% more at random (Heroku: 24h)", "24h")
        .option("--scheduler-speed <times>", "Heroku Scheduler's clock runs this many times as fast, for labs: 60 runs an every-10-minutes job every 10 s", "1")
        .option("--log-idle-timeout <duration>", "a followed log stream with nothing to send this long ends; logs --tail reopens it where it left off (default 5m)")
        .option("--router-timeout <duration>", "H12: how long the router waits for a dyno's first response byte (default: HOKU_ROUTER_TIMEOUT, else Heroku's 30s)")
        .option("--router-idle-timeout <duration>", "H15/H28: how long a response may stay silent, either side (default: HOKU_ROUTER_IDLE_TIMEOUT, else Heroku's 55s)")
        .action(async (flags) => finish((await import("./cli/platform.ts")).platform(flags))),
  ],
  [
    ["platform:start"],
    (p) =>
      p
        .command("platform:start")
        .description("start the local platform in the background (does nothing if it runs)")
        .option("--port <port>", "API and git port (default 7700)")
        .option("--tls-port <port>", "API and git over TLS (default 7743)")
        .option("--router-port <port>", "router port (default 7780)")
        .option("--router-timeout <duration>", "H12: the router's wait for a first response byte (Heroku: 30s)")
        .option("--router-idle-timeout <duration>", "H15/H28: how long a response may stay silent (Heroku: 55s)")
        .action(async (flags) => finish((await import("./cli/platform.ts")).platformStart(flags))),
  ],
  [["platform:stop"], (p) => p.command("platform:stop").description("stop the local platform and every dyno").action(async () => finish((await import("./cli/platform.ts")).platformStop()))],
  [["platform:status"], (p) => p.command("platform:status").description("is the platform running, where, and how dynos are isolated").action(async () => finish((await import("./cli/platform.ts")).platformStatus()))],
  [["auth:token"], (p) => p.command("auth:token").description("print the platform's API token (git and API clients use it)").action(async () => finish((await import("./cli/platform.ts")).authToken()))],
  [
    ["heroku:env"],
    (p) =>
      p
        .command("heroku:env")
        .description("print the environment that points the heroku CLI at the local platform: eval \"$(hoku heroku:env)\"")
        .option("--shell <shell>", "posix (sh, bash, zsh), fish or powershell", "posix")
        .action(async (flags) => finish((await import("./cli/heroku-env.ts")).herokuEnvCommand(flags))),
  ],
  [["__router"], (p) => p.command("__router", { hidden: true }).argument("<options>").action(async (json: string) => (await import("./cli/router.ts")).routerCommand(json))],
  [["__git-hook"], (p) => p.command("__git-hook", { hidden: true }).argument("<app>").action(async (app: string) => finish((await import("./cli/platform.ts")).gitHookCommand(app)))],
  [
    ["apps:create", "create"],
    (p) =>
      p
        .command("apps:create")
        .alias("create")
        .description("create an app on the platform; in a git repository, add the hoku remote")
        .argument("[name]", "the app's name (default: a random one)")
        .option("-r, --remote <remote>", "the git remote to add (default: hoku)")
        .action(async (name: string | undefined, flags) => finish((await import("./cli/apps.ts")).createApp(name, flags))),
  ],
  [
    ["apps:setup"],
    (p) =>
      p
        .command("apps:setup")
        .description("set an app up from its app.json, as a Heroku Button: config vars, add-ons, formation, buildpacks, first build, postdeploy")
        .argument("[dir]", "the app's folder (default: the current one)")
        .option("-n, --name <name>", "the app's name (default: a random one)")
        .option("--env <pair...>", "KEY=value for app.json's required config vars")
        .action(async (dir: string | undefined, flags) => finish((await import("./cli/apps-setup.ts")).appsSetup(dir, flags))),
  ],
  [["apps", "apps:list"], (p) => p.command("apps").alias("apps:list").description("list the platform's apps").action(async () => finish((await import("./cli/apps.ts")).listApps()))],
  [["apps:info", "info"], (p) => appFlag(p.command("apps:info").alias("info").description("show an app")).action(async (flags) => finish((await import("./cli/apps.ts")).appInfo(flags)))],
  [
    ["apps:open", "open"],
    (p) =>
      appFlag(p.command("apps:open").alias("open").description("open the app in a web browser (prints its URL)").argument("[path]", "a path on the app, e.g. /admin")).action(async (path: string | undefined, flags) =>
        finish((await import("./cli/apps.ts")).openApp(path, flags)),
      ),
  ],
  [
    ["apps:destroy", "destroy"],
    (p) =>
      // The heroku CLI also takes the app as a positional argument (`heroku apps:destroy demo --confirm demo`).
      appFlag(p.command("apps:destroy").alias("destroy").description("destroy an app: its releases, config vars and dynos").argument("[app]", "the app (as -a)").option("-c, --confirm <app>", "the app's name, to confirm")).action(
        async (app: string | undefined, flags) => finish((await import("./cli/apps.ts")).destroyApp({ ...flags, app: app ?? flags.app })),
      ),
  ],
  [
    ["apps:rename", "rename"],
    (p) => appFlag(p.command("apps:rename").alias("rename").description("rename an app").argument("<newname>")).action(async (name: string, flags) => finish((await import("./cli/apps.ts")).renameApp(name, flags))),
  ],
  [["maintenance"], (p) => appFlag(p.command("maintenance").description("is the app in maintenance mode: on or off")).action(async (flags) => finish((await import("./cli/maintenance.ts")).maintenance(flags)))],
  [
    ["maintenance:on"],
    (p) => appFlag(p.command("maintenance:on").description("put the app in maintenance mode: the router answers 503 with the maintenance page (H80), dynos keep running")).action(async (flags) => finish((await import("./cli/maintenance.ts")).setMaintenance(true, flags))),
  ],
  [["maintenance:off"], (p) => appFlag(p.command("maintenance:off").description("take the app out of maintenance mode")).action(async (flags) => finish((await import("./cli/maintenance.ts")).setMaintenance(false, flags)))],
  [["git:remote"], (p) => appFlag(p.command("git:remote").description("set the repository's hoku remote to an app")).action(async (flags) => finish((await import("./cli/apps.ts")).gitRemote(flags)))],
  [
    ["config"],
    (p) => appFlag(p.command("config").description("show a deployed app's config vars").option("-s, --shell", "KEY=value lines").option("-j, --json", "JSON")).action(async (flags) => finish((await import("./cli/config.ts")).config(flags))),
  ],
  [["config:get"], (p) => appFlag(p.command("config:get").description("print one config var's value").argument("<key>")).action(async (key: string, flags) => finish((await import("./cli/config.ts")).configGet(key, flags)))],
  [
    ["config:set", "config:add"],
    (p) =>
      appFlag(p.command("config:set").alias("config:add").description("set config vars: a release and a restart").argument("[pairs...]", "KEY=value")).action(async (pairs: string[], flags) =>
        finish((await import("./cli/config.ts")).configSet(pairs, flags)),
      ),
  ],
  [
    ["config:unset", "config:remove"],
    (p) =>
      appFlag(p.command("config:unset").alias("config:remove").description("remove config vars: a release and a restart").argument("[keys...]")).action(async (keys: string[], flags) =>
        finish((await import("./cli/config.ts")).configUnset(keys, flags)),
      ),
  ],
  [["features"], (p) => appFlag(p.command("features").description("list an app's features (preboot)").option("-j, --json", "JSON")).action(async (flags) => finish((await import("./cli/features.ts")).features(flags)))],
  [
    ["features:enable"],
    (p) => appFlag(p.command("features:enable").description("enable an app feature: preboot starts a new release's web dynos before the old ones stop").argument("<feature>")).action(async (name: string, flags) => finish((await import("./cli/features.ts")).setFeature(name, true, flags))),
  ],
  [
    ["features:disable"],
    (p) => appFlag(p.command("features:disable").description("disable an app feature").argument("<feature>")).action(async (name: string, flags) => finish((await import("./cli/features.ts")).setFeature(name, false, flags))),
  ],
  [["scheduler"], (p) => appFlag(p.command("scheduler").description("list a deployed app's Heroku Scheduler jobs (heroku addons:create scheduler:standard)").option("-j, --json", "JSON")).action(async (flags) => finish((await import("./cli/scheduler.ts")).schedulerJobs(flags)))],
  [
    ["scheduler:add"],
    (p) =>
      appFlag(
        p
          .command("scheduler:add")
          .description("add a Heroku Scheduler job: it runs as a one-off dyno scheduler.N, stopped after its interval")
          .argument("<command...>", "what the job runs (after --); several arguments are joined as heroku run joins them")
          .option("--every <interval>", "10m, hour or day")
          .option("--at <time>", "with --every hour, the minute (:00 to :50, default :00); with --every day, HH:00 or HH:30 UTC (default 00:00)")
          .option("--size <size>", "the job's dyno size (Basic)")
          .passThroughOptions(),
      ).action(async (command: string[], flags) => finish((await import("./cli/scheduler.ts")).addSchedulerJob(command, flags))),
  ],
  [
    ["scheduler:update"],
    (p) =>
      appFlag(
        p
          .command("scheduler:update")
          .description("change a Heroku Scheduler job: its schedule, dyno size or command")
          .argument("<job>", "the job's number (hoku scheduler lists them)")
          .argument("[command...]", "a new command (after --)")
          .option("--every <interval>", "10m, hour or day")
          .option("--at <time>", "with --every hour, the minute (:00 to :50); with --every day, HH:00 or HH:30 UTC")
          .option("--size <size>", "the job's dyno size (Basic)"),
      ).action(async (id: string, command: string[], flags) => finish((await import("./cli/scheduler.ts")).updateSchedulerJob(id, command, flags))),
  ],
  [["scheduler:remove"], (p) => appFlag(p.command("scheduler:remove").description("remove a Heroku Scheduler job").argument("<job>", "the job's number")).action(async (id: string, flags) => finish((await import("./cli/scheduler.ts")).removeSchedulerJob(id, flags)))],
  [["releases"], (p) => appFlag(p.command("releases").description("list an app's releases").option("-n, --num <n>", "how many", "15")).action(async (flags) => finish((await import("./cli/releases.ts")).releases(flags)))],
  [
    ["releases:info"],
    (p) => appFlag(p.command("releases:info").description("show a release (default: the latest)").argument("[release]", "vN")).action(async (v: string | undefined, flags) => finish((await import("./cli/releases.ts")).releaseInfo(v, flags))),
  ],
  [
    ["releases:output"],
    (p) => appFlag(p.command("releases:output").description("show a release's release command output (default: the latest)").argument("[release]", "vN")).action(async (v: string | undefined, flags) => finish((await import("./cli/releases.ts")).releaseOutput(v, flags))),
  ],
  [
    ["rollback", "releases:rollback"],
    (p) =>
      appFlag(p.command("rollback").alias("releases:rollback").description("a new release with an earlier one's code and config vars").argument("[release]", "vN (default: the previous one)")).action(
        async (v: string | undefined, flags) => finish((await import("./cli/releases.ts")).rollback(v, flags)),
      ),
  ],
  [
    ["ps"],
    (p) =>
      appFlag(p.command("ps").description("list a deployed app's dynos").argument("[types...]", "only these process types, e.g. web worker").option("--json", "the dynos as JSON")).action(async (types: string[], flags) =>
        finish((await import("./cli/ps.ts")).ps(types, flags)),
      ),
  ],
  [
    ["ps:scale", "scale"],
    (p) => appFlag(p.command("ps:scale").alias("scale").description("scale process types: web=2 worker+1").argument("[changes...]")).action(async (args: string[], flags) => finish((await import("./cli/ps.ts")).scale(args, flags))),
  ],
  [
    ["ps:restart", "restart"],
    (p) =>
      appFlag(p.command("ps:restart").alias("restart").description("restart every dyno, a process type's, or one").argument("[dyno]").option("-p, --process-type <type>").option("-d, --dyno-name <dyno>")).action(
        async (dyno: string | undefined, flags) => finish((await import("./cli/ps.ts")).restart(dyno, flags)),
      ),
  ],
  [
    ["ps:stop", "stop"],
    (p) =>
      appFlag(p.command("ps:stop").alias("stop").description("stop a dyno (a formation dyno is started again)").argument("[dyno]").option("-p, --process-type <type>").option("-d, --dyno-name <dyno>")).action(
        async (dyno: string | undefined, flags) => finish((await import("./cli/ps.ts")).stop(dyno, flags)),
      ),
  ],
  [
    ["logs"],
    (p) =>
      appFlag(
        p
          .command("logs")
          .description("a deployed app's logs: the last lines, or follow them")
          .option("-n, --num <n>", "how many lines (at most 1500)", "100")
          .option("-t, --tail", "keep following")
          .option("-s, --source <source>", "app or heroku")
          .option("-d, --dyno-name <dyno>", "one dyno, e.g. web.1")
          .option("-p, --process-type <type>", "one process type, e.g. web"),
      ).action(async (flags) => finish((await import("./cli/logs.ts")).logs(flags))),
  ],
  [["buildpacks"], (p) => appFlag(p.command("buildpacks").description("list an app's buildpacks")).action(async (flags) => finish((await import("./cli/buildpacks.ts")).buildpacks(flags)))],
  ...(["set", "add", "remove", "clear"] as const).map(
    (command) =>
      [
        [`buildpacks:${command}`],
        (p: Command) =>
          appFlag(p.command(`buildpacks:${command}`).description(`${command} the app's buildpacks`).argument("[buildpack]").option("-i, --index <n>", "1-based position")).action(async (url: string | undefined, flags) =>
            finish((await import("./cli/buildpacks.ts")).buildpacksChange(command, url, flags)),
          ),
      ] as const,
  ),
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
