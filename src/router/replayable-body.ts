/**
 * A request body that can still go to a second dyno when the first refused the connection
 * (Heroku's router retries another dyno then, RT-1). Each attempt gets a fresh stream that
 * pulls from the one reader of the client's body, so nothing is buffered; once an attempt
 * has pulled a chunk the body is `touched` and can no longer be offered elsewhere.
 */
interface ChunkReader {
  read(): Promise<{ done: true; value?: Uint8Array } | { done: false; value: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

export class ReplayableBody {
  readonly #reader: ChunkReader;
  #touched = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  get touched(): boolean {
    return this.#touched;
  }

  /** The body for the next attempt. */
  stream(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          this.#touched = true;
          const chunk = await this.#reader.read();
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value);
        },
        // An attempt that failed before reading leaves the body whole for the next one.
        cancel: (reason) => (this.#touched ? this.#reader.cancel(reason) : undefined),
      },
      { highWaterMark: 0 },
    );
  }
}
