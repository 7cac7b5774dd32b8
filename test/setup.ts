/**
 * Preloaded by bun test (bunfig.toml): no test leaves a hoku running or a temp folder behind
 * it, and none writes hoku state outside a temp folder: XDG_STATE_HOME points at one for this
 * process, so even a hoku spawned without testEnv() keeps its state there.
 */
import { afterAll, afterEach } from "bun:test";
import { killLeftovers, removeTempDirs, tempDir } from "./helpers/hoku.ts";

process.env.XDG_STATE_HOME = tempDir("hoku-test-state-");
afterEach(killLeftovers);
afterAll(removeTempDirs);
