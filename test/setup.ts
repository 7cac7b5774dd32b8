/** Preloaded by bun test (bunfig.toml): no test leaves a hoku running behind it. */
import { afterEach } from "bun:test";
import { killLeftovers } from "./helpers/hoku.ts";

afterEach(killLeftovers);
