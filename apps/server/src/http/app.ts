import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { apiDocsBranding } from './brand/api-docs-theme.ts';
import { eventWebhooksOpenApi } from '../modules/events/event-openapi.ts';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import {
  type ZodTypeProvider,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { newId } from '../infra/crypto/ids.ts';
import { fastifyTrustProxy } from '../trust-proxy.ts';
import { accountSwitchRoutes } from '../modules/auth/account-switch.routes.ts';
import { authRoutes } from '../modules/auth/auth.routes.ts';
import { passwordRoutes } from '../modules/auth/password.routes.ts';
import { twoFactorRoutes } from '../modules/auth/two-factor.routes.ts';
import { registerApiRoutes } from './api-routes.ts';
import { authenticate } from './authenticate.ts';
import { registerErrorHandling } from './errors.ts';
import { registerTransportSecurity } from './transport-security.ts';
import { registerRequestHygiene } from './request-hygiene.ts';
import { healthRoutes } from './health.routes.ts';
import { webhookRoutes } from '../modules/inbound/webhook.routes.ts';
import { consoleRoutes, setPageSecurityHeaders } from './console.routes.ts';
import { allAdapters } from '../modules/channels/channel-registry.ts';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

/** Builds the HTTP app (no listening): tests drive it with inject(), `serve` puts it on a port. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    genReqId: () => newId(),
    // Off unless TRUST_PROXY says which peers are proxies: otherwise X-Forwarded-For would let any
    // client choose the IP the login rate limit and the audit log see.
    trustProxy: fastifyTrustProxy(ctx.config.trustProxy),
    // Per-request access lines only when debugging: at hundreds of operators they would dominate the log.
    logController: new LogController({
      disableRequestLogging: ctx.config.logLevel !== 'debug' && ctx.config.logLevel !== 'trace',
    }),
    // Every route validates and serialises through zod (set below as well). Named here too, so Fastify
    // never loads its default compilers (Ajv and fast-json-stringify, a tenth of a start) only to have
    // them replaced.
    schemaController: {
      compilersFactory: {
        buildValidator: (() => validatorCompiler) as unknown as CompilersFactory['buildValidator'],
        buildSerializer: (() => serializerCompiler) as unknown as CompilersFactory['buildSerializer'],
      },
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerRequestHygiene(app as unknown as FastifyInstance);
  app.decorateRequest('principal', null);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerTransportSecurity(app);

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        version: '1.0.0',
        description:
          'REST API of Switchboard. Authenticate with a session cookie (plus X-CSRF-Token on writes) or ' +
          '`Authorization: Bearer sbt_...` API tokens. Errors are `{"error": {"code", "message"}}`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // What outgoing webhooks and bots receive, one entry per event (OpenAPI 3.1 `webhooks`). Added when
    // the document is first asked for (the plugin caches it), not at start: converting every event's
    // zod schema to JSON Schema is work a start does not need.
    transformObject: (doc) => {
      if (!('openapiObject' in doc)) return doc.swaggerObject;
      return { ...doc.openapiObject, webhooks: eventWebhooksOpenApi() };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    ...apiDocsBranding,
    // No badge fetched from validator.swagger.io: the page loads nothing from elsewhere.
    uiConfig: { validatorUrl: null },
    uiHooks: {
      onRequest: (_req, reply, done) => {
        setPageSecurityHeaders(reply);
        done();
      },
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
    app.swagger(),
  );

  await app.register(healthRoutes(ctx));
  await app.register(webhookRoutes(ctx), { prefix: '/webhooks' });
  for (const a of allAdapters()) if (a.routes?.public) await app.register(a.routes.public(ctx));
  await app.register(
    async (v1) => {
      v1.addHook('preHandler', async (req) => {
        if (req.routeOptions.config.public) return;
        req.principal = await authenticate(ctx, req);
      });
      await v1.register(authRoutes(ctx));
      await v1.register(accountSwitchRoutes(ctx));
      await v1.register(passwordRoutes(ctx));
      await v1.register(twoFactorRoutes(ctx));
      await registerApiRoutes(v1, ctx);
    },
    { prefix: '/api/v1' },
  );
  await app.register(consoleRoutes(ctx));
  return app as unknown as FastifyInstance;
}
