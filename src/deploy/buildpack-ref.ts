/**
 * What a buildpack reference names (pure): the app's buildpacks come as Heroku writes them
 * (`heroku buildpacks:set`, app.json, `.buildpacks`), and hoku sorts them into
 *   - a built-in: `heroku/nodejs`, and the official URLs of the same buildpacks (the GitHub
 *     repo, the buildpack registry's .tgz, `urn:buildpack:heroku/nodejs`), which hoku runs as
 *     its own offline copy;
 *   - a local path: an absolute path or a `file://` URL (a folder, a git repo or a .tgz), with
 *     an optional `#ref` for a git repo;
 *   - a network URL (http, https, git, ssh, `user@host:path`), tried, and offline a clear error;
 *   - a Heroku registry name hoku does not ship (`heroku/java`), or something it cannot read.
 */

/** The built-ins' Heroku names, and the registry URL Heroku reports for each. */
export const BUILTIN_NAMES = ["heroku/ruby", "heroku/nodejs", "heroku/python", "heroku/go", "heroku/procfile"] as const;
export const registryUrl = (name: string): string => `https://buildpack-registry.s3.amazonaws.com/buildpacks/${name}.tgz`;

export type BuildpackRef =
  | { readonly kind: "builtin"; readonly given: string; readonly name: string }
  | { readonly kind: "local"; readonly given: string; readonly path: string; readonly gitRef?: string }
  | { readonly kind: "network"; readonly given: string; readonly url: string; readonly gitRef?: string }
  | { readonly kind: "unknown"; readonly given: string; readonly reason: string; readonly hint: string };

const HINT = "use a built-in (heroku/nodejs, heroku/python, heroku/go, heroku/ruby, heroku/procfile) or a local copy of the buildpack: an absolute path or file:// URL of a folder, git repo or .tgz";

/** The built-in an official name or URL stands for, if any. */
function builtinFor(given: string): string | undefined {
  const plain = given.replace(/#.*$/, "").replace(/\/+$/, "");
  const patterns = [
    /^(heroku\/[a-z]+)$/,
    /^urn:buildpack:(heroku\/[a-z]+)$/,
    /^https?:\/\/(?:buildpack-registry|codon-buildpacks)\.s3\.amazonaws\.com\/buildpacks\/(heroku\/[a-z]+)\.tgz$/,
    /^(?:https?:\/\/|git@)github\.com[/:]heroku\/heroku-buildpack-([a-z]+?)(?:\.git)?$/,
  ];
  for (const pattern of patterns) {
    const found = pattern.exec(plain)?.[1];
    if (found) return found.startsWith("heroku/") ? found : `heroku/${found}`;
  }
  return undefined;
}

/** Splits `url#ref`. */
function withRef(text: string): { base: string; gitRef?: string } {
  const hash = text.indexOf("#");
  return hash < 0 ? { base: text } : { base: text.slice(0, hash), ...(hash < text.length - 1 && { gitRef: text.slice(hash + 1) }) };
}

export function parseBuildpackRef(text: string): BuildpackRef {
  const given = text.trim();
  const builtin = builtinFor(given);
  if (builtin) {
    if ((BUILTIN_NAMES as readonly string[]).includes(builtin)) return { kind: "builtin", given, name: builtin };
    return { kind: "unknown", given, reason: `hoku has no offline copy of ${builtin} (Heroku downloads it, and hoku builds offline)`, hint: HINT };
  }
  const { base, gitRef } = withRef(given);
  if (base.startsWith("file://")) {
    let path: string;
    try {
      path = decodeURIComponent(new URL(base).pathname);
    } catch {
      return { kind: "unknown", given, reason: "is not a valid file:// URL", hint: "write it as file:///absolute/path/to/buildpack" };
    }
    return { kind: "local", given, path, ...(gitRef && { gitRef }) };
  }
  if (base.startsWith("/")) return { kind: "local", given, path: base, ...(gitRef && { gitRef }) };
  if (/^(https?|git|ssh):\/\/./.test(base) || /^[\w.-]+@[\w.-]+:./.test(base)) return { kind: "network", given, url: base, ...(gitRef && { gitRef }) };
  if (/^[\w-]+\/[\w.-]+$/.test(base)) return { kind: "unknown", given, reason: "is a buildpack registry name; hoku has no registry offline", hint: HINT };
  return { kind: "unknown", given, reason: "is neither a buildpack name, a URL nor an absolute path", hint: HINT };
}

/** `.buildpacks`: one buildpack URL per line; blank lines and `#` comments ignored (pure). */
export function parseDotBuildpacks(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}
