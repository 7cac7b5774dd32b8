/**
 * A push to main becomes a release (GP-1..GP-3, PF-4): the repository's pre-receive hook
 * (git-hook.ts) posts the checked-out commit here, and this builds it with its buildpacks
 * (build.ts), stores the slug, runs the release phase and moves the dynos to the new release,
 * streaming Heroku's transcript back line by line. The stream ends with the hook's exit code:
 * non-zero rejects the push, and then no release is made (a failed build) or the old release
 * keeps running (a failed release phase). One build per app at a time: a second push is refused.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BunRequest } from "bun";
import { ApiError, authorized, body, errorResponse } from "../platform/api/http.ts";
import type { Platform } from "../platform/platform.ts";
import { platformDir } from "../platform/platform-db.ts";
import { finishBuild, insertBuild } from "../platform/records/builds.ts";
import { deployDescription, insertSlug } from "../platform/records/slugs.ts";
import { BuildError, runBuild } from "./build.ts";
import { EXIT_MARKER } from "./git-hook.ts";

/** Apps with a build running, and since when. */
const building = new Map<string, Date>();

export function deployRoute(platform: Platform, token: string) {
  return {
    "/internal/apps/:app/deploys": {
      async POST(request: BunRequest) {
        if (!authorized(request, token)) return errorResponse(new ApiError(401, "unauthorized", "Invalid credentials provided."));
        let app;
        let push;
        try {
          app = platform.app((request.params as Record<string, string>).app!);
          push = await body<{ commit: string; ref: string; sourceDir: string }>(request);
        } catch (error) {
          return errorResponse(error as ApiError);
        }
        if (typeof push.commit !== "string" || typeof push.sourceDir !== "string") return errorResponse(new ApiError(400, "bad_request", "A deploy needs the pushed commit and its checked-out source folder."));
        const since = building.get(app.id);
        if (since) return new Response(`hoku: another push to ${app.name} is building (since ${since.toLocaleTimeString()}); wait for it to finish, then push again\n`, { status: 409 });
        building.set(app.id, new Date());
        // The pusher may leave (Ctrl-C in git push): the deploy goes on to its end all the same, unheard.
        let pusherLeft = false;
        const stream = new ReadableStream<string>({
          async start(controller) {
            const out = (line: string) => {
              if (pusherLeft) return;
              try {
                controller.enqueue(`${line}\n`);
              } catch {
                pusherLeft = true; // the stream was errored rather than cancelled
              }
            };
            let code = 1;
            try {
              code = await deploy(platform, app, push, out);
            } catch (error) {
              out(` !     hoku: the deploy failed: ${error instanceof Error ? error.message : String(error)}`);
            } finally {
              building.delete(app.id);
              out(`${EXIT_MARKER}${code}`);
              if (!pusherLeft) controller.close();
            }
          },
          cancel() {
            pusherLeft = true;
          },
        });
        return new Response(stream, { headers: { "Content-Type": "text/plain; charset=utf-8" } });
      },
    },
  };
}

type App = ReturnType<Platform["app"]>;

async function deploy(platform: Platform, app: App, push: { commit: string; sourceDir: string }, out: (line: string) => void): Promise<number> {
  const transcript: string[] = [];
  const say = (line: string) => {
    transcript.push(line);
    out(line);
  };
  const build = insertBuild(platform.db, app.id, push.commit);
  try {
    return await buildAndRelease(platform, app, push, say, build, transcript);
  } catch (error) {
    // Whatever went wrong (a full disk, say), the build is not left pending.
    finishBuild(platform.db, build.id, { status: "failed", output: transcript.join("\n") });
    throw error;
  }
}

async function buildAndRelease(platform: Platform, app: App, push: { commit: string; sourceDir: string }, say: (line: string) => void, build: { id: string }, transcript: string[]): Promise<number> {
  const dir = platformDir();
  platform.api(app, `Build started by user ${platform.user}`);
  say("Compressing source files... done.");
  say("Building source:");
  say("");
  const slugId = crypto.randomUUID();
  const slugDir = platform.dynos.slugDir(slugId);
  const cacheDir = join(dir, "cache", app.id);
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  let result;
  try {
    result = await runBuild({
      sourceDir: push.sourceDir,
      buildpacks: JSON.parse(app.buildpacks) as string[],
      env: platform.config(app),
      cacheDir,
      slugDir,
      output: say,
      sourceVersion: push.commit,
      watch: (pgid) => platform.dynos.watch(pgid),
    });
  } catch (error) {
    rmSync(slugDir, { recursive: true, force: true });
    if (!(error instanceof BuildError)) say(` !     hoku: the build could not run: ${error instanceof Error ? error.message : String(error)}`);
    finishBuild(platform.db, build.id, { status: "failed", output: transcript.join("\n") });
    platform.api(app, "Build failed");
    return 1;
  }
  insertSlug(platform.db, {
    id: slugId,
    app_id: app.id,
    commit_sha: push.commit,
    description: deployDescription(push.commit),
    process_types: JSON.stringify(result.processTypes),
    size: result.sizeBytes,
    stack: result.stack,
    buildpacks: JSON.stringify(result.buildpacks),
  });
  platform.api(app, "Build succeeded");
  say("-----> Launching...");
  const hasRelease = result.processTypes.release !== undefined;
  if (hasRelease) say(" !     Release command declared: this new release will not be available until the command succeeds.");
  const released = (version: number) => {
    say(`       Released v${version}`);
    say(`       ${platform.settings.routerUrl(app.name)} deployed to hoku`);
    say("");
    say("Verifying deploy... done.");
  };
  // Heroku's order with a release command: the release is named as it is made, then its command
  // runs and is waited for. Without one, it is named once its dynos run.
  const made = (version: number) => {
    if (!hasRelease) return;
    released(version);
    say("Running release command...");
    say("");
  };
  try {
    const release = await platform.recordDeploy(app, slugId, push.commit, say, (record) => made(record.version));
    if (hasRelease) say("Waiting for release.... done.");
    else released(release.version);
    finishBuild(platform.db, build.id, { status: "succeeded", output: transcript.join("\n"), slugId, releaseId: release.id, buildpacks: JSON.stringify(result.buildpacks) });
    return 0;
  } catch (error) {
    const releaseFailed = error instanceof ApiError && error.id === "release_failed";
    if (hasRelease) say("Waiting for release.... failed.");
    say(` !     ${error instanceof Error ? error.message : String(error)}`);
    say(releaseFailed ? " !     Push rejected: the release command failed (hoku releases:output shows its output)" : " !     Push rejected: hoku could not make the release");
    finishBuild(platform.db, build.id, { status: "succeeded", output: transcript.join("\n"), slugId, buildpacks: JSON.stringify(result.buildpacks) });
    return 1;
  }
}
