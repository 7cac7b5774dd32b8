/**
 * `hoku heroku:env [--shell posix|fish|powershell]`: the environment that points the real heroku
 * CLI (and heroku-client) at the local platform, for `eval "$(hoku heroku:env)"`. No global
 * file is written (only, when the shell already names a CA file, a bundle of it and the
 * platform's CA in the platform's folder): the API host and token, the particleboard URL (else every account call waits
 * on a DNS lookup of a Heroku host), the buildpack registry and login host (the platform answers
 * both), the data host of pg:*, telemetry off, the local CA for node, and for git through
 * GIT_CONFIG_COUNT/KEY/VALUE (the heroku CLI's git remotes are always https).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { HokuError } from "../app/problem.ts";
import { PlatformClient } from "../platform/client.ts";
import { say } from "./load.ts";

type Shell = "posix" | "fish" | "powershell";

const quote: Record<Shell, (value: string) => string> = {
  posix: (v) => `'${v.replaceAll("'", `'\\''`)}'`,
  fish: (v) => `'${v.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`,
  powershell: (v) => `'${v.replaceAll("'", "''")}'`,
};

const assignment: Record<Shell, (name: string, value: string) => string> = {
  posix: (name, value) => `export ${name}=${quote.posix(value)}`,
  fish: (name, value) => `set -gx ${name} ${quote.fish(value)};`,
  powershell: (name, value) => `$env:${name} = ${quote.powershell(value)}`,
};

/** The variables, in order; GIT_CONFIG_* continue any the shell already has (or reuse hoku's own slot). */
export function herokuEnv(origin: string, token: string, caFile: string, env: Readonly<Record<string, string | undefined>>, nodeCaFile = caFile): [string, string][] {
  const key = `http.${origin}/.sslCAInfo`;
  const count = Number(env.GIT_CONFIG_COUNT) || 0;
  const existing = Array.from({ length: count }, (_, i) => i).find((i) => env[`GIT_CONFIG_KEY_${i}`] === key);
  const slot = existing ?? count;
  return [
    ["HEROKU_HOST", origin],
    ["HEROKU_API_KEY", token],
    ["HEROKU_PARTICLEBOARD_URL", origin],
    // buildpacks:set NAME asks the buildpack registry first; `heroku login`'s browser flow starts at the login host.
    ["HEROKU_BUILDPACK_REGISTRY_URL", origin],
    ["HEROKU_LOGIN_HOST", origin],
    // pg:* call the Heroku Postgres API on this host, on HEROKU_HOST's port and scheme, with its token.
    ["HEROKU_DATA_HOST", new URL(origin).hostname],
    ["DISABLE_TELEMETRY", "true"],
    // Offline: the CLI would otherwise start a background `heroku update` that goes to the network.
    ["HEROKU_DISABLE_AUTOUPDATE", "1"],
    ["NODE_EXTRA_CA_CERTS", nodeCaFile],
    ["GIT_CONFIG_COUNT", String(Math.max(count, slot + 1))],
    [`GIT_CONFIG_KEY_${slot}`, key],
    [`GIT_CONFIG_VALUE_${slot}`, caFile],
  ];
}

/**
 * NODE_EXTRA_CA_CERTS and GIT_SSL_CAINFO name one file, and git's variable beats its
 * configuration: when the shell already sets one, it gets a bundle of the user's CAs and the
 * platform's (beside the CA, rewritten on each call), so both still count.
 */
function withOurCa(caFile: string, variable: string, theirs: string | undefined): string | undefined {
  if (!theirs) return undefined;
  if (theirs === caFile || !existsSync(theirs)) return caFile;
  const bundle = join(dirname(caFile), `${variable.toLowerCase()}.pem`);
  if (theirs === bundle) return bundle;
  writeFileSync(bundle, `${readFileSync(caFile, "utf8")}${readFileSync(theirs, "utf8")}`, { mode: 0o644 });
  return bundle;
}

export async function herokuEnvCommand(flags: { shell?: string }): Promise<number> {
  const shell = (flags.shell ?? "posix") as Shell;
  if (!(shell in assignment)) throw new HokuError(`--shell ${flags.shell}: hoku knows posix (sh, bash, zsh), fish and powershell`);
  const client = await PlatformClient.connect(say);
  const { info } = client;
  const nodeCa = withOurCa(info.caFile, "NODE_EXTRA_CA_CERTS", process.env.NODE_EXTRA_CA_CERTS) ?? info.caFile;
  const vars = herokuEnv(`https://127.0.0.1:${info.tlsPort}`, client.token, info.caFile, process.env, nodeCa);
  const gitCa = withOurCa(info.caFile, "GIT_SSL_CAINFO", process.env.GIT_SSL_CAINFO);
  if (gitCa) vars.push(["GIT_SSL_CAINFO", gitCa]);
  const lines = vars.map(([name, value]) => assignment[shell](name, value));
  const run = shell === "posix" ? 'eval "$(hoku heroku:env)"' : shell === "fish" ? "hoku heroku:env --shell fish | source" : "hoku heroku:env --shell powershell | Invoke-Expression";
  console.log(`# The heroku CLI against hoku's local platform. Run: ${run}`);
  for (const line of lines) console.log(line);
  return 0;
}
