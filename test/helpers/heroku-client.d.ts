/** The npm `heroku-client` package (a pinned devDependency, plain JavaScript): what the tests call of it. */
declare module "heroku-client" {
  interface RequestOptions {
    readonly headers?: Record<string, string>;
    readonly body?: unknown;
    /** Only the first page: no following of Next-Range. */
    readonly partial?: boolean;
  }
  export default class Heroku {
    constructor(options: { readonly token: string; readonly host?: string; readonly headers?: Record<string, string> });
    get<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
    post<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
    patch<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
    delete<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  }
}
