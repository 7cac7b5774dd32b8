/**
 * The error a failed build throws. `step` names the part of the build that failed, for the
 * platform's records and messages: `prepare`, `fetch of <buildpack>`, `detect`,
 * `detect of <buildpack>`, `compile of <buildpack>`, `release of <buildpack>`, `Procfile`,
 * `slug size`, `timeout`, `cancelled`.
 *
 * `transcribed` says the transcript already told the pusher why, in Heroku's words (a failed
 * bin/compile's own output, then "Push rejected, failed to compile ..."); otherwise runBuild
 * prints the message as ` !     ` lines before "Push failed".
 */
import { HokuError } from "../app/problem.ts";

export class BuildError extends HokuError {
  constructor(
    /** The failing step (see the header). */
    readonly step: string,
    message: string,
    options?: { cause?: unknown; transcribed?: boolean },
  ) {
    super(message, 1, [], options);
    this.transcribed = options?.transcribed ?? false;
  }

  /** Whether the transcript already says why the build failed. */
  readonly transcribed: boolean;
}
