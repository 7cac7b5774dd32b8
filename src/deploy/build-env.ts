/**
 * The environment bin/detect, bin/compile and bin/release run in. Not hoku's own: a shell's
 * NODE_ENV=development or a stray PYTHONPATH would change what the build makes, and Heroku's
 * build environment is clean too. What is kept is what finds the host's toolchains and
 * reaches the package registries (PATH, HOME with its ~/.npmrc and pip.conf, pyenv/nvm/asdf,
 * proxies, CA bundles, registry mirrors, the package managers' download caches); then what
 * Heroku sets for every build (BP-7).
 */

/** Host variables passed through as they are. */
const KEEP = new Set([
  "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TZ", "TMPDIR", "TERM",
  "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO",
  "PYENV_ROOT", "NVM_DIR", "NVM_BIN", "ASDF_DIR", "ASDF_DATA_DIR", "VOLTA_HOME", "GOROOT", "GOPROXY", "GONOPROXY", "GONOSUMDB", "GOPRIVATE", "GOSUMDB", "GOTOOLCHAIN",
  "NPM_CONFIG_REGISTRY", "npm_config_registry", "NPM_CONFIG_USERCONFIG", "npm_config_userconfig", "YARN_NPM_REGISTRY_SERVER",
  "NPM_CONFIG_CACHE", "npm_config_cache", "YARN_CACHE_FOLDER", "PNPM_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME",
  "BUNDLE_MIRROR__ALL", "GEM_HOST",
]);
/** pip's own settings (index, find-links, certificates, retries): the machine's pip configuration. */
const PIP = /^PIP_[A-Z0-9_]+$/;
/** Proxies, in either case. */
const PROXY = /^(https?|ftp|all|no)_proxy$/i;

/** What Heroku's build system sets beside the app's files (STACK defaults to heroku-24, BP-7). */
export interface BuildVars {
  readonly stack: string;
  readonly requestId: string;
  /** The pushed commit, when the platform knows it (Heroku's SOURCE_VERSION). */
  readonly sourceVersion?: string;
}

export function buildEnv(host: Readonly<Record<string, string | undefined>>, vars: BuildVars): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(host)) {
    if (value !== undefined && (KEEP.has(name) || PROXY.test(name) || PIP.test(name))) env[name] = value;
  }
  env.PATH ||= "/usr/local/bin:/usr/bin:/bin";
  env.STACK = vars.stack;
  env.REQUEST_ID = vars.requestId;
  env.CURL_CONNECT_TIMEOUT = "30";
  env.CURL_TIMEOUT = "180";
  if (vars.sourceVersion) env.SOURCE_VERSION = vars.sourceVersion;
  return env;
}
