/**
 * The image of a docker add-on: here already, or pulled now (through Testcontainers,
 * which reads registry credentials from Docker's config), before the add-ons' deadline.
 * A pull that fails (offline, no such image) is a reason to try the next provider, not an
 * error; a pull still running at the deadline is an error (--addon-timeout bounds it).
 * Each image is looked up and pulled once per hoku run, whatever the add-ons that use it.
 */
import { HokuError } from "../app/problem.ts";
import type { CheckContext } from "./provider.ts";

type Client = Awaited<ReturnType<(typeof import("testcontainers"))["getContainerRuntimeClient"]>>;

/** A pull that lasts longer than this is said, so a long first start is explained. */
const SLOW_PULL_MS = 1000;

/** Per image: undefined once it is here, else why it cannot be had. */
const lookups = new Map<string, Promise<string | undefined>>();

/** Why the image cannot be had, or undefined when it is here (now). Throws at the deadline. */
export async function ensureImage(client: Client, image: string, context: CheckContext): Promise<string | undefined> {
  let lookup = lookups.get(image);
  if (!lookup) {
    lookup = lookUpOrPull(client, image, context.say);
    lookups.set(image, lookup);
  }
  const late = Symbol("late");
  let timer: Timer | undefined;
  const outcome = await Promise.race([lookup, new Promise<typeof late>((resolve) => (timer = setTimeout(() => resolve(late), Math.max(0, context.deadline - Date.now()))))]);
  clearTimeout(timer);
  if (outcome === late)
    throw new HokuError(
      `pulling ${image} did not finish within ${context.timeoutMs / 1000} s (--addon-timeout)\n    hint: docker pull ${image} (or docker load) before hoku start, raise --addon-timeout, or run with --addons native|embedded`,
    );
  return outcome;
}

async function lookUpOrPull(client: Client, image: string, say: (line: string) => void): Promise<string | undefined> {
  const { ImageName } = await import("testcontainers");
  const name = ImageName.fromString(image);
  try {
    if (await client.image.exists(name)) return undefined;
  } catch (error) {
    return `the engine could not look ${image} up (${reason(error)})`;
  }
  const slow = setTimeout(() => say(`pulling ${image} (it is not here yet)`), SLOW_PULL_MS);
  try {
    await client.image.pull(name);
    // Testcontainers' pull ends quietly when the engine reports an error mid-stream.
    return (await client.image.exists(name)) ? undefined : `image ${image} is not here, and pulling it did not bring it`;
  } catch (error) {
    return `image ${image} is not here and could not be pulled (${reason(error)})`;
  } finally {
    clearTimeout(slow);
  }
}

/** The engine's own words: `Get "https://registry-1.docker.io/v2/": dial tcp: ...: no such host`. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.replace(/^\(HTTP code \d+\) [^-]*- /, "").replace(/^Error response from daemon: /, "").trim();
}
