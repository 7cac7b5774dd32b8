/**
 * The pre-receive hook of an app's repository (`hoku __git-hook <app id>`, run by git with the
 * pushed objects still in quarantine). For a push to main or master it checks the commit out into
 * a temp folder and asks the platform to deploy it, printing the platform's lines as they come
 * (git shows them as `remote:` lines); its exit code accepts or rejects the push. Other
 * branches are accepted without a build, as Heroku does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What the platform ends a deploy's stream with: the hook's exit code. */
export const EXIT_MARKER = "\u0000exit ";

const ZERO = /^0+$/;

export async function gitHook(appId: string, input: string, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const platform = env.HOKU_PLATFORM_URL;
  const token = env.HOKU_PLATFORM_TOKEN;
  if (!platform || !token) {
    console.log(" !     hoku: this repository's hook runs only behind hoku's platform");
    return 1;
  }
  let code = 0;
  for (const line of input.split("\n").filter(Boolean)) {
    const [, commit, ref] = line.split(" ") as [string, string, string];
    if (ZERO.test(commit)) continue; // a deleted ref
    if (ref !== "refs/heads/main" && ref !== "refs/heads/master") {
      console.log(`Pushed to non-main branch, skipping build.`);
      continue;
    }
    const source = mkdtempSync(join(tmpdir(), "hoku-source-"));
    try {
      const archive = Bun.spawnSync(["sh", "-c", 'git archive --format=tar "$1" | tar -x -C "$2"', "sh", commit, source], { stderr: "pipe" });
      if (archive.exitCode !== 0) {
        console.log(` !     hoku could not check out ${commit.slice(0, 8)}: ${archive.stderr.toString().trim()}`);
        return 1;
      }
      code = await deploy(platform, token, appId, { commit, ref, sourceDir: source });
    } finally {
      rmSync(source, { recursive: true, force: true });
    }
    if (code !== 0) return code;
  }
  return code;
}

/** Streams the platform's deploy of one commit (or a folder, for apps:setup) to stdout; resolves the exit code it ends with. */
export async function deploy(platform: string, token: string, appId: string, push: { commit: string; ref: string; sourceDir: string }): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`${platform}/internal/apps/${appId}/deploys`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(push),
    });
  } catch (error) {
    console.log(` !     hoku's platform did not answer (${error instanceof Error ? error.message : String(error)}): push rejected`);
    return 1;
  }
  if (!response.ok || !response.body) {
    console.log(` !     ${(await response.text()).trim() || `the platform answered ${response.status}`}`);
    return 1;
  }
  let code = 1;
  let rest = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith(EXIT_MARKER)) code = Number(line.slice(EXIT_MARKER.length));
      else process.stdout.write(`${line}\n`);
    }
  }
  return code;
}
