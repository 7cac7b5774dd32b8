// heroku/go and heroku/ruby, built in, where the host has go, or ruby and bundler (skipped elsewhere).
import { expect, test } from "bun:test";
import { build, copySlug, fixture, runInSlug } from "./helpers.ts";

const has = (tool: string) => Bun.which(tool) !== null;

test.skipIf(!has("go"))("a Go module builds with the host's go; the slug runs its binary from bin/ on PATH", async () => {
  const built = await build(fixture("go-app"));
  expect(built.error).toBeUndefined();
  for (const line of ["-----> Go app detected", "-----> Installed the following binaries:", "       bin/hello", "-----> Created a Procfile with the following entries:", "       web: bin/hello"]) {
    expect(built.lines).toContain(line);
  }
  expect(built.result?.processTypes).toEqual({ web: "bin/hello" });
  const moved = await copySlug(built.slugDir);
  expect((await runInSlug(moved, "PORT=5123 hello")).stdout).toBe("hello from go, PORT=5123");
});

test.skipIf(!has("ruby") || !has("bundle"))("a Ruby app builds with the host's ruby and bundler, with heroku/ruby's default types", async () => {
  const built = await build(fixture("ruby-app"));
  expect(built.error).toBeUndefined();
  expect(built.lines).toContain("-----> Ruby app detected");
  expect(built.lines).toContain("       Default types for buildpack -> console, rake, web");
  expect(built.result?.processTypes).toMatchObject({ web: "bundle exec rackup config.ru -p ${PORT:-5000}", rake: "bundle exec rake" });
  const moved = await copySlug(built.slugDir);
  const run = await runInSlug(moved, "bundle exec ruby app.rb");
  expect(run.stdout).toEndWith(`from ${moved}`);
});
