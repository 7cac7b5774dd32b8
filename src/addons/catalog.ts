/**
 * The add-on catalog (pure): each Heroku add-on service hoku can run locally, the
 * image that stands in for it, its port, its default plan, and how its config vars
 * are written (heroku-fidelity.md CA-2..CA-5). Image tags can be overridden per
 * service by the app's hoku.json (see custom-services.ts).
 * CATALOG and hoku.json's services are what hoku runs; any other service an app
 * declares is skipped with a one-line note (NOT_RUN says what the well-known ones are).
 */

/** What runs behind an add-on, whatever the provider (`scheduler`: nothing, the platform runs its jobs). */
export type ServiceKind = "postgres" | "redis" | "rabbitmq" | "memcached" | "smtp" | "s3" | "custom" | "scheduler";

/** Where and how to reach a running add-on; every field a config-var template may use. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Secondary ports by name (a web inbox, an admin console). */
  readonly extraPorts: Readonly<Record<string, number>>;
}

/** One service of the catalog. */
export interface Service {
  /** Heroku's add-on service name (`heroku-postgresql`). */
  readonly name: string;
  readonly kind: ServiceKind;
  readonly defaultPlan: string;
  /** The plans Heroku sells for it (any plan name is accepted where this is undefined). */
  readonly plans?: RegExp;
  /** The same plans, for people. */
  readonly planNames?: string;
  /** Docker image and tag; the tag may depend on `options.version`. A hoku.json service may have none. */
  readonly image?: (options: Readonly<Record<string, unknown>>) => string;
  /** A hoku.json service's command, run by the native provider (templates as in `vars`). */
  readonly command?: string;
  /** Container port of the service, and named secondary ports. */
  readonly containerPort: number;
  readonly extraContainerPorts?: Readonly<Record<string, number>>;
  /** Default attachment name: vars are `<ATTACHMENT>_URL` unless `vars` says otherwise. */
  readonly attachment: string;
  /** Config vars for an attachment named `as` (already upper case). */
  readonly vars: (as: string, endpoint: Endpoint) => Record<string, string>;
  /** How readiness is checked. */
  readonly readiness: "postgres" | "redis" | "tcp";
}

const url = (scheme: string, e: Endpoint, path = "") =>
  `${scheme}://${encodeURIComponent(e.user)}:${encodeURIComponent(e.password)}@${e.host}:${e.port}${path}`;

export const CATALOG: readonly Service[] = [
  {
    name: "heroku-postgresql",
    kind: "postgres",
    defaultPlan: "essential-0",
    plans: /^(essential-[0-2]|standard-\d+|premium-\d+|private-\d+|shield-\d+|mini|basic|hobby-dev|hobby-basic)$/,
    planNames: "essential-0, essential-1, essential-2, standard-N, premium-N, private-N, shield-N, mini, basic, hobby-dev, hobby-basic",
    image: (o) => `postgres:${typeof o.version === "string" || typeof o.version === "number" ? o.version : "16"}`,
    containerPort: 5432,
    attachment: "DATABASE",
    vars: (as, e) => ({ [`${as}_URL`]: url("postgres", e, `/${e.database}`) }),
    readiness: "postgres",
  },
  {
    name: "heroku-redis",
    kind: "redis",
    defaultPlan: "mini",
    plans: /^(mini|premium-\d+|private-\d+|shield-\d+|hobby-dev)$/,
    planNames: "mini, premium-N, private-N, shield-N, hobby-dev",
    image: () => "redis:7",
    containerPort: 6379,
    attachment: "REDIS",
    // With TLS asked for (options.tls), also `<AS>_TLS_URL` (rediss://), like legacy Heroku apps.
    vars: (as, e) => ({
      [`${as}_URL`]: url("redis", e),
      ...(e.extraPorts.tls ? { [`${as}_TLS_URL`]: url("rediss", { ...e, port: e.extraPorts.tls }) } : {}),
    }),
    readiness: "redis",
  },
  {
    name: "cloudamqp",
    kind: "rabbitmq",
    defaultPlan: "lemur",
    image: () => "rabbitmq:3",
    containerPort: 5672,
    attachment: "CLOUDAMQP",
    vars: (as, e) => ({ [`${as}_URL`]: url("amqp", e, "/") }),
    readiness: "tcp",
  },
  {
    name: "memcachier",
    kind: "memcached",
    defaultPlan: "dev",
    image: () => "memcached:1",
    containerPort: 11211,
    attachment: "MEMCACHIER",
    vars: (as, e) => ({ [`${as}_SERVERS`]: `${e.host}:${e.port}`, [`${as}_USERNAME`]: e.user, [`${as}_PASSWORD`]: e.password }),
    readiness: "tcp",
  },
  ...(["mailgun", "sendgrid"] as const).map(
    (name): Service => ({
      name,
      kind: "smtp",
      defaultPlan: "starter",
      image: () => "axllent/mailpit:latest",
      containerPort: 1025,
      extraContainerPorts: { inbox: 8025 },
      attachment: name.toUpperCase(),
      vars: (as, e) =>
        name === "mailgun"
          ? {
              [`${as}_SMTP_SERVER`]: e.host,
              [`${as}_SMTP_PORT`]: String(e.port),
              [`${as}_SMTP_LOGIN`]: e.user,
              [`${as}_SMTP_PASSWORD`]: e.password,
              [`${as}_API_KEY`]: e.password,
              [`${as}_DOMAIN`]: "localhost",
              [`${as}_INBOX_URL`]: `http://${e.host}:${e.extraPorts.inbox}`,
            }
          : {
              [`${as}_USERNAME`]: e.user,
              [`${as}_PASSWORD`]: e.password,
              [`${as}_API_KEY`]: e.password,
              [`${as}_SMTP_SERVER`]: `${e.host}:${e.port}`,
              [`${as}_INBOX_URL`]: `http://${e.host}:${e.extraPorts.inbox}`,
            },
      readiness: "tcp",
    }),
  ),
  {
    name: "bucketeer",
    kind: "s3",
    defaultPlan: "hobbyist",
    image: () => "minio/minio:latest",
    containerPort: 9000,
    attachment: "BUCKETEER",
    vars: (as, e) => ({
      [`${as}_AWS_ACCESS_KEY_ID`]: e.user,
      [`${as}_AWS_SECRET_ACCESS_KEY`]: e.password,
      [`${as}_AWS_REGION`]: "us-east-1",
      [`${as}_BUCKET_NAME`]: e.database,
      [`${as}_ENDPOINT_URL`]: `http://${e.host}:${e.port}`,
    }),
    readiness: "tcp",
  },
];

/**
 * Heroku Scheduler (`scheduler:standard`): an add-on of deployed apps only, with no service and no
 * config vars; the platform runs its jobs (src/platform/scheduler.ts). `hoku start` skips it.
 */
export const SCHEDULER: Service = {
  name: "scheduler",
  kind: "scheduler",
  defaultPlan: "standard",
  plans: /^standard$/,
  planNames: "standard",
  containerPort: 0,
  attachment: "SCHEDULER",
  vars: () => ({}),
  readiness: "tcp",
};

/** The services of deployed apps' add-ons: the catalog and Heroku Scheduler. */
export const PLATFORM_CATALOG: readonly Service[] = [...CATALOG, SCHEDULER];

/** Add-ons apps declare that hoku does not run, and what each is, for the note that skips it. */
export const NOT_RUN: Readonly<Record<string, string>> = {
  scheduler: "Heroku Scheduler: run its jobs with `hoku run <command>`; the platform runs them for a deployed app",
  ...Object.fromEntries(["papertrail", "logentries", "sumologic", "coralogix"].map((name) => [name, "a log drain: hoku prints the logs itself"])),
  ...Object.fromEntries(["newrelic", "scout", "librato", "sentry", "rollbar", "honeybadger"].map((name) => [name, "monitoring, a hosted service"])),
  mongolab: "mLab MongoDB, retired in 2020",
};
