import * as shared from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type BareApp, createBareApp } from '../../test/bare-app.ts';

/**
 * The OpenAPI description is generated from each route's zod schemas; this holds the routes to the shared
 * contracts (packages/shared/src/contracts), which the console and the widget infer their types from. A
 * route that documents a shape of its own — a copy that can drift from what the clients compile against —
 * fails here unless it is still listed in NOT_YET_SHARED, a list that only shrinks.
 */

const NOT_YET_SHARED = new Set<string>([]);

interface Operation {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

/**
 * A JSON Schema in the form @fastify/swagger publishes it: `const` written as a one-value `enum` (for
 * swagger-ui), and keys in one order, so two schemas compare equal when they say the same thing.
 */
function canonical(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(canonical);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema as Record<string, unknown>).map(([k, v]) =>
    k === 'const' ? (['enum', [v]] as const) : ([k, canonical(v)] as const),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The zod → JSON Schema conversion fastify-type-provider-zod applies to route schemas. */
function jsonOf(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    // As the provider does: it drops a union's empty members (which also drops transformed ones).
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'union')
        ctx.jsonSchema.anyOf = ctx.jsonSchema.anyOf?.filter((m) => Object.keys(m).length > 0);
    },
  }) as Record<string, unknown>;
  return canonical(rest);
}

const contracts = Object.entries(shared as Record<string, unknown>).filter(
  (e): e is [string, z.ZodType] => e[1] instanceof z.ZodType,
);
const known = (io: 'input' | 'output') =>
  new Map(
    contracts.flatMap(([name, s]) => [
      [JSON.stringify(jsonOf(s, io)), name] as const,
      [JSON.stringify(jsonOf(shared.pageOf(s), io)), `pageOf(${name})`] as const,
      [JSON.stringify(jsonOf(z.object({ items: z.array(s) }), io)), `{items: ${name}[]}`] as const,
    ]),
  );

describe('OpenAPI description and the shared contracts', () => {
  let bare: BareApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    bare = await createBareApp();
    paths = (await bare.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths;
  });
  afterAll(async () => {
    await bare.close();
  });

  /** `METHOD path` of every documented JSON request body and success answer no shared contract matches. */
  function ownShapes(): string[] {
    const inputs = known('input');
    const outputs = known('output');
    const own: string[] = [];
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} ${path}`;
        const body = op.requestBody?.content['application/json']?.schema;
        if (body && !inputs.has(JSON.stringify(canonical(body)))) own.push(`${route} body`);
        for (const [status, res] of Object.entries(op.responses)) {
          const schema = res.content?.['application/json']?.schema;
          if (!/^2/.test(status) || !schema) continue;
          if (!outputs.has(JSON.stringify(canonical(schema)))) own.push(`${route} ${status}`);
        }
      }
    }
    return own.sort();
  }

  it('every documented body and success answer is a shared contract, but for the listed ones', () => {
    const own = ownShapes();
    expect(
      own.filter((r) => !NOT_YET_SHARED.has(r)),
      'define these shapes in packages/shared/src/contracts and use them in the route',
    ).toEqual([]);
    // A route moved to a shared contract leaves the list, so the list cannot hide a new copy.
    expect(
      [...NOT_YET_SHARED].filter((r) => !own.includes(r)),
      'these now use shared contracts (or are gone): remove them from NOT_YET_SHARED',
    ).toEqual([]);
  });

  it('documents the shared conversation and message shapes exactly', () => {
    const answer = (path: string, method: string, status = '200') =>
      canonical(paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema);
    expect(answer('/api/v1/conversations/{id}', 'get')).toEqual(
      jsonOf(shared.conversationDetailSchema, 'output'),
    );
    expect(answer('/api/v1/conversations/{id}/messages', 'get')).toEqual(
      jsonOf(shared.pageOf(shared.messageSchema), 'output'),
    );
    expect(
      canonical(
        paths['/api/v1/conversations/{id}/messages']?.post?.requestBody?.content['application/json']?.schema,
      ),
    ).toEqual(jsonOf(shared.sendMessageBody, 'input'));
  });
});
