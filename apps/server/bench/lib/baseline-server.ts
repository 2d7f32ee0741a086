import Fastify from 'fastify';

// The ingest baseline: the same HTTP stack doing only JSON parse + 200, on the same machine in the same run.
const app = Fastify({ logger: false });
app.post('/webhooks/api/:id', async (req) => {
  const body = req.body as { eventId?: string };
  return { status: 'accepted', eventId: body.eventId };
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`baseline listening at ${address}`);
