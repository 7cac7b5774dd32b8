/**
 * A request body on its way to a dyno. It can still go to a second dyno when the first
 * refused the connection (Heroku's router retries another dyno then, RT-1): each attempt gets
 * a fresh stream that pulls from the one reader of the client's body, so nothing is
 * buffered; once an attempt has pulled a chunk the body is `touched` and can no longer be
 * offered elsewhere.
 *
 * It also says how the upload goes, for the router's clocks (first-byte.ts): when a chunk
 * last moved, whether the dyno is waiting on the client for the next one, and when the
 * client's last byte went on (Heroku's 30 s request timeout starts only then).
 */
interface ChunkReader {
  read(): Promise<{ done: true; value?: Uint8Array } | { done: false; value: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

export class ReplayableBody {
  readonly #reader: ChunkReader;
  readonly #sent = Promise.withResolvers<number>();
  #touched = false;
  #waitingOnClient = false;
  #movedAt = performance.now();

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  get touched(): boolean {
    return this.#touched;
  }

  /** A dyno has asked for the next chunk and the client has not sent it yet. */
  get waitingOnClient(): boolean {
    return this.#waitingOnClient;
  }

  /** performance.now() when a chunk last went on (or when the body was made). */
  get movedAt(): number {
    return this.#movedAt;
  }

  /** Resolves with performance.now() once the whole body has gone on to a dyno. */
  get sent(): Promise<number> {
    return this.#sent.promise;
  }

  /** The body for the next attempt (whose upload clock starts now, if no byte has gone yet). */
  stream(): ReadableStream<Uint8Array> {
    if (!this.#touched) this.#movedAt = performance.now();
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          this.#touched = true;
          this.#waitingOnClient = true;
          const chunk = await this.#reader.read().finally(() => (this.#waitingOnClient = false));
          this.#movedAt = performance.now();
          if (!chunk.done) return controller.enqueue(chunk.value);
          controller.close();
          this.#sent.resolve(this.#movedAt);
        },
        // An attempt that failed before reading leaves the body whole for the next one.
        cancel: (reason) => (this.#touched ? this.#reader.cancel(reason) : undefined),
      },
      { highWaterMark: 0 },
    );
  }
}
