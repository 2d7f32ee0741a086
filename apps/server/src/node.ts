import type { FastifyInstance } from 'fastify';
import type { RuntimeContext } from './bootstrap.ts';
import { buildApp } from './http/app.ts';
import { jobHandlers } from './jobs.ts';
import { EventSweeper } from './modules/events/event-sequencer.ts';
import { ImapInbox } from './modules/channels/email/imap-inbox.ts';
import { WidgetGateway } from './modules/channels/widget/widget-gateway.ts';
import { SocketGateway } from './modules/realtime/socket-gateway.ts';
import { RetentionScheduler } from './modules/retention/retention.job.ts';
import { Worker } from './worker/worker.ts';

const SHUTDOWN_GRACE_MS = 5000;

export interface NodeRoles {
  http: boolean;
  worker: boolean;
}

export interface RunningNode {
  app?: FastifyInstance;
  gateway?: SocketGateway;
  widgetGateway?: WidgetGateway;
  worker?: Worker;
  retention?: RetentionScheduler;
  /** Numbers account events a crashed node committed but did not number (PostgreSQL). */
  sweeper?: EventSweeper;
  /** Reads the IMAP mailboxes of e-mail channels (one node per mailbox, by lease). */
  imapInbox?: ImapInbox;
  port?: number;
  stop(): Promise<void>;
}

/** One Switchboard node: HTTP + real-time gateway and/or job worker, sharing one context. */
export async function startNode(ctx: RuntimeContext, roles: NodeRoles): Promise<RunningNode> {
  const node: RunningNode = { stop: async () => {} };
  node.sweeper = new EventSweeper(ctx).start();
  if (roles.http) {
    const app = await buildApp(ctx);
    const gateway = new SocketGateway(ctx, app.server);
    await gateway.start();
    const widgetGateway = new WidgetGateway(ctx, app.server);
    await widgetGateway.start();
    await app.listen({ port: ctx.config.port, host: ctx.config.host });
    const addr = app.server.address();
    node.app = app;
    node.gateway = gateway;
    node.widgetGateway = widgetGateway;
    node.port = typeof addr === 'object' && addr ? addr.port : ctx.config.port;
  }
  if (roles.worker) {
    node.worker = new Worker(ctx, jobHandlers, {
      concurrency: ctx.config.workerConcurrency,
      pollMs: ctx.config.workerPollMs,
    });
    await node.worker.start();
    node.retention = new RetentionScheduler(ctx);
    node.retention.start();
    const leaseMs = ctx.config.imapLeaseMs;
    // Renewed four or more times per lease: a slow tick never lets a live holder's lease run out.
    node.imapInbox = new ImapInbox(ctx, {
      leaseMs,
      tickMs: Math.min(10_000, Math.floor(leaseMs / 4)),
    }).start();
  }
  node.stop = async () => {
    node.sweeper?.stop();
    node.retention?.stop();
    await node.imapInbox?.stop();
    await node.worker?.stop();
    await node.widgetGateway?.close();
    await node.gateway?.close();
    if (node.app) {
      // Requests in flight get a grace period; then connections still held open (a client's keep-alive
      // or a stalled upload) are cut, so a stop never hangs.
      const app = node.app;
      const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await app.close();
      clearTimeout(force);
    }
    await ctx.close();
  };
  return node;
}
