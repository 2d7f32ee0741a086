import { EVENT_PAYLOAD_SCHEMAS, PUBLIC_EVENT_TYPES, eventEnvelopeSchema } from '@switchboard/shared';
import type { OpenAPIV3_1 } from 'openapi-types';
import { z } from 'zod';

const HEADERS =
  'Headers: `X-Switchboard-Event` (the event type), `X-Switchboard-Delivery` (the delivery id: the same on ' +
  'every retry, use it to de-duplicate), `X-Switchboard-Timestamp` (Unix seconds when this attempt was ' +
  'signed), `X-Switchboard-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the ' +
  "endpoint's secret>`. Answer 2xx within 15 s; 5xx, 429 (Retry-After honoured) and network errors are " +
  'retried with backoff for 24 hours, any other 4xx is final.';

/**
 * The OpenAPI 3.1 `webhooks` section: one entry per event an outside system can subscribe to, with the
 * body it receives. Generated from the same zod schemas the server emits with.
 */
type Webhooks = OpenAPIV3_1.Document['webhooks'];

let built: Webhooks | undefined;

/** Built once per process: the schemas are static, and every app instance (each test's, too) asks for it. */
export function eventWebhooksOpenApi(): Webhooks {
  built ??= buildWebhooks();
  // A deep copy: swagger decorates the document it is given, and one app's must not leak into the next.
  return structuredClone(built);
}

function buildWebhooks(): Webhooks {
  const out: Record<string, unknown> = {};
  for (const type of PUBLIC_EVENT_TYPES) {
    const description = EVENT_PAYLOAD_SCHEMAS[type].description;
    out[type] = {
      post: {
        summary: `${type}${description ? `: ${description}` : ''}`,
        description: HEADERS,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: z.toJSONSchema(eventEnvelopeSchema(type), {
                io: 'output',
                unrepresentable: 'any',
              }),
            },
          },
        },
        responses: { '200': { description: 'any 2xx acknowledges the delivery' } },
      },
    };
  }
  // The generated JSON Schema is valid OpenAPI 3.1; the library's types model only hand-written objects.
  return out as Webhooks;
}
