/** @module Builds the OpenAPI 3.1 document from the endpoint contracts the routes bind, so the document cannot drift from the code. */
import { z } from 'zod';
import { ErrorBody, webhookEventData, webhookEventSummaries, webhookEvents, WebhookPayload } from '@fixpoint/protocol';
import { apiTags, type AnyEndpoint } from '@fixpoint/protocol/api';

const toSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** One entry per subscribable event: the POST a webhook receives, with the event's own `data` schema. */
function webhooksSection(): Record<string, unknown> {
  const entries = webhookEvents.map((event) => {
    const payload = WebhookPayload.extend({ event: z.literal(event), data: webhookEventData[event] });
    const post = {
      summary: webhookEventSummaries[event],
      description:
        'Signed with the webhook secret: `X-Fixpoint-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; `X-Fixpoint-Event` names the event. Delivered at least once: drop repeats by `id`.',
      operationId: `webhook${event.replace(/(^|[._])(.)/g, (_, _sep: string, ch: string) => ch.toUpperCase())}`,
      requestBody: { required: true, content: { 'application/json': { schema: toSchema(payload, 'output') } } },
      responses: { '200': { description: 'Any 2xx status acknowledges the delivery; anything else is retried with backoff' } },
    };
    return [event, { post }];
  });
  return Object.fromEntries(entries);
}

export function buildOpenApi(routes: readonly AnyEndpoint[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {}))
        parameters.push({ name, in: where, required: where === 'path' || !!json.required?.includes(name), schema: s });
    }
    for (const [name, description] of Object.entries(r.headers ?? {}))
      parameters.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
    const okStatus = String(r.status ?? 200);
    const responses: Record<string, unknown> = {
      [okStatus]:
        r.status === 204
          ? { description: 'Done' }
          : {
              description: 'OK',
              content: { [r.produces ?? 'application/json']: r.response ? { schema: toSchema(r.response, 'output') } : {} },
            },
      '400': errorResponse('Invalid input'),
    };
    if (r.auth !== 'public') {
      responses['401'] = errorResponse('Not signed in');
      responses['403'] = errorResponse('Missing permission');
    }
    for (const [status, description] of Object.entries(r.errors ?? {})) {
      const retry = status === '429' || status === '503';
      responses[status] = {
        ...errorResponse(description),
        ...(retry ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } } : {}),
      };
    }
    const bodyTypes: Record<string, unknown> = {};
    if (r.body) {
      const schema = toSchema(r.body, 'input');
      for (const f of r.bodyFormats ?? ['json']) bodyTypes[f === 'json' ? 'application/json' : 'application/yaml'] = { schema };
    }
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: bodyTypes } } : {}),
      responses,
      ...(r.auth === 'public' ? { security: [] } : { 'x-fixpoint-permission': r.auth }),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fixpoint API',
      version,
      // No open-source licence (package.json is private); an SPDX LicenseRef says so in the form tooling expects.
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      description:
        'Remote actions on end-user devices. Authenticate with a personal access token or an OAuth2 client-credentials token (`Authorization: Bearer …`), or a console session cookie.',
    },
    servers: [{ url: '/' }],
    tags: Object.entries(apiTags).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/api/v1/oauth/token', scopes: {} } } },
        session: { type: 'apiKey', in: 'cookie', name: 'fixpoint_session' },
      },
      schemas: { Error: toSchema(ErrorBody, 'output') },
    },
    security: [{ bearer: [] }, { oauth2: [] }, { session: [] }],
    paths,
    webhooks: webhooksSection(),
  };
}
