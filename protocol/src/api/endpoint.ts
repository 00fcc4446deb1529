/**
 * @module The shape of one API endpoint's contract: method, path, permission and zod schemas, as plain data. The
 * backend binds a handler to it, builds the OpenAPI document from it and walks it in the RBAC matrix; the clients
 * call it through `createApiClient`. No handler and no server code lives here.
 */
import type { z } from 'zod';
import type { Permission } from '../identity';

export type Auth = 'public' | 'authenticated' | Permission;

/** The reference's sections, in the order it shows them, with what each covers (the OpenAPI document's `tags`). */
export const apiTags = {
  Auth: 'Signing in and out, the caller’s identity, password changes and OAuth2 client-credentials tokens.',
  'Access tokens': 'Personal access tokens for scripts and the browser extension.',
  Users: 'People who sign in to the console, and their roles.',
  Roles: 'Permissions, the actions a role may run and the devices it reaches.',
  'API clients': 'OAuth2 clients for third-party portals and ticketing systems.',
  Devices: 'Enrolled devices, their facts, outputs and tags, and enrollment tokens.',
  'Saved queries': 'Named device queries: categories to launch on and to scope roles with.',
  Actions: 'Remote actions: versions, import and export.',
  Executions: 'Launching actions and following what runs.',
  Query: 'The query language over devices, executions and responses.',
  Campaigns: 'Questions for users: versions, lifecycle, triggers and results.',
  Schedules: 'Actions run periodically on a query’s devices.',
  Detection: 'Detection rules: conditions that fire an action when a device starts to match.',
  Webhooks: 'Signed notifications of finished executions and requests, campaign responses, paused rules, failed schedules and help requests, and their deliveries.',
  Audit: 'The hash-chained audit log and its checkpoints.',
  'Agent releases': 'Agent binaries signed with the update key, and their rollouts in rings.',
  Settings: 'Server settings clients show, such as how long history is kept.',
  'Help requests': 'What users asked IT for from their tray (Get help), with the device facts and an optional screenshot.',
} as const;
export type ApiTag = keyof typeof apiTags;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType | undefined;

export interface Endpoint<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R extends Schema = Schema> {
  method: Method;
  /** Path under /api/v1 with `:name` parameters, e.g. `/actions/:id`. */
  path: string;
  summary: string;
  tag: ApiTag;
  /** Who may call it: anyone, any signed-in principal, or holders of one permission. */
  auth: Auth;
  params?: P;
  query?: Q;
  body?: B;
  /** Body formats accepted besides JSON; `yaml` lets action import take a YAML file. */
  bodyFormats?: ('json' | 'yaml')[];
  /** Bytes; 1 MiB unless set. */
  bodyLimit?: number;
  response?: R;
  status?: 200 | 201 | 202 | 204;
  /** Error statuses answered besides 400, 401 and 403, each with when; 429 and 503 come with Retry-After. */
  errors?: Partial<Record<409 | 429 | 503, string>>;
  /** Extra documented headers, e.g. Idempotency-Key. */
  headers?: Record<string, string>;
  /** Answers callers who must still change their password (their identity, the change itself). */
  beforePasswordChange?: boolean;
  /** Set for endpoints that stream (SSE) or return non-JSON. */
  produces?: string;
}

// Tables keep the loose shape; `endpoint()` keeps each declaration precisely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint = Endpoint<any, any, any, any>;

/** Declares one endpoint; the schemas' types flow to the handler that serves it and to the client that calls it. */
export function endpoint<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  R extends Schema = undefined,
>(contract: Endpoint<P, Q, B, R>): Endpoint<P, Q, B, R> {
  return contract;
}

/** What an endpoint's schema parses to on the server (`z.output`), or undefined when it has none. */
export type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;
/** What a caller sends for an endpoint's schema (`z.input`: defaults may be left out). */
export type Sent<T> = T extends z.ZodType ? z.input<T> : undefined;
