/** Preloaded by bun test (bunfig.toml): no test leaves a hoku running or a temp folder behind it. */
import { afterAll, afterEach } from "bun:test";
import { killLeftovers, removeTempDirs } from "./helpers/hoku.ts";

afterEach(killLeftovers);
afterAll(removeTempDirs);
