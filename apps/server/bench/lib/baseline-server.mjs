// Plain JavaScript, started by plain node: the baseline loads no TypeScript compiler, like the server's
// production start (dist/) does not.
import Fastify from 'fastify';

// The ingest baseline: the same HTTP stack doing only JSON parse + 200, on the same machine in the same run.
const app = Fastify({ logger: false });
app.post('/webhooks/api/:id', async (req) => {
  const body = req.body;
  return { status: 'accepted', eventId: body.eventId };
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`baseline listening at ${address}`);
