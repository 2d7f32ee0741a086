import 'dotenv/config';
import { Command } from 'commander';
import { createContext } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateToLatest } from './infra/db/migrator.ts';
import { assertPasswordPolicy } from './modules/auth/password-policy.ts';
import { DomainError } from './lib/domain-error.ts';
import { createAccountWithAdmin } from './modules/accounts/account.service.ts';
import { type ExportCommandOptions, exportCommand } from './modules/export/export.cli.ts';
import { rebuildReports } from './modules/reports/rebuild-reports.ts';
import {
  type ImportCommandOptions,
  importContactsCommand,
} from './modules/contact-import/contact-import.cli.ts';
import { type NodeRoles, startNode } from './node.ts';
import { startNotes } from './start-notes.ts';

const program = new Command('switchboard').description('Switchboard chat center').showHelpAfterError();

async function runNode(roles: NodeRoles): Promise<void> {
  const config = loadConfig();
  const ctx = await createContext(config, { migrate: true });
  const node = await startNode(ctx, roles);
  const what = [roles.http && `http on ${config.host}:${node.port}`, roles.worker && 'worker']
    .filter(Boolean)
    .join(' + ');
  ctx.log.info(
    { database: ctx.db.dialect, bus: config.redisUrl ? 'redis' : 'in-process' },
    `Switchboard started: ${what}`,
  );
  if (roles.http) for (const note of await startNotes(ctx, node.port!)) ctx.log.info(note);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info(`${signal}: stopping`);
    node.stop().then(
      () => process.exit(0),
      (err) => {
        ctx.log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

program
  .command('start')
  .description('run everything in one process: HTTP API, console, real-time gateway and job worker')
  .action(() => runNode({ http: true, worker: true }));
program
  .command('serve')
  .description('run the HTTP API, console and real-time gateway only')
  .action(() => runNode({ http: true, worker: false }));
program
  .command('worker')
  .description('run the job worker only')
  .action(() => runNode({ http: false, worker: true }));
program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const config = loadConfig();
    const ctx = await createContext(config);
    try {
      const applied = await migrateToLatest(ctx.db);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
    } finally {
      await ctx.close();
    }
  });
program
  .command('create-admin')
  .description('create an account (tenant) with its first admin user')
  .requiredOption('--email <email>', 'admin e-mail (login)')
  .requiredOption(
    '--password <password>',
    'admin password (10+ characters, not a common one, not the e-mail)',
  )
  .requiredOption('--account <name>', 'account (business) name')
  .option('--name <name>', 'admin display name')
  .option('--add-account', 'create the account even if this e-mail already has one with the same name')
  .action(
    async (o: { email: string; password: string; account: string; name?: string; addAccount?: boolean }) => {
      // The person running the command chooses their own password: the policy applies, no forced change.
      assertPasswordPolicy(o.password, o.email);
      const config = loadConfig();
      const ctx = await createContext(config, { migrate: true });
      try {
        const r = await createAccountWithAdmin(ctx, {
          accountName: o.account,
          email: o.email,
          password: o.password,
          name: o.name,
          addAccount: o.addAccount,
        });
        console.log(`Created account ${r.accountId} with admin ${o.email} (user ${r.userId})`);
      } finally {
        await ctx.close();
      }
    },
  );
program
  .command('demo')
  .description(
    'try Switchboard without provider accounts: sandbox Telegram, WhatsApp and SMS (Twilio), a demo account, and a customer phone page',
  )
  .option('--port <port>', 'Switchboard HTTP port', '3000')
  .option('--phone-port <port>', 'customer phone page port', '3001')
  .option('--keep', "keep the demo's data (database, files) when it stops; by default it is deleted")
  .action(async (o: { port: string; phonePort: string; keep?: boolean }) => {
    const { startDemo } = await import('./sandbox/demo.ts');
    const demo = await startDemo({ port: Number(o.port), phonePort: Number(o.phonePort), keep: o.keep });
    console.log(
      [
        'Switchboard demo is running (fresh data, sandbox providers; Ctrl+C stops it):',
        `  console:        ${demo.waitingUrl}  (sign in as ${demo.login.email} / ${demo.login.password};`,
        '                  two customers are waiting there)',
        `  customer phone: ${demo.phoneUrl}/  (write as a Telegram, WhatsApp or SMS customer, see the replies)`,
        '                  (SMS: text STOP to opt out, and the console refuses replies; START opts in again)',
        demo.kept
          ? `  data:           ${demo.dataDir}  (kept after it stops)`
          : `  data:           ${demo.dataDir}  (deleted when it stops; --keep keeps it)`,
      ].join('\n'),
    );
    const stop = () =>
      demo.stop().then(() => {
        console.log(
          demo.kept ? `Demo stopped; its data is in ${demo.dataDir}` : 'Demo stopped; its data is deleted',
        );
        process.exit(0);
      });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
program
  .command('rebuild-reports')
  .description("recompute an account's report rollups from history (conversations, messages, event log)")
  .requiredOption('--account <id>', 'account id')
  .action(async (o: { account: string }) => {
    const ctx = await createContext(loadConfig(), { migrate: true });
    try {
      const r = await rebuildReports(ctx, o.account, (n) =>
        process.stderr.write(`\rrebuild-reports: ${n} conversations`),
      );
      process.stderr.write('\n');
      console.log(
        `Rebuilt reports of ${o.account}: ${r.conversations} conversations, ${r.messages} messages, ${r.cycles} cycles, ${r.samples} durations`,
      );
    } finally {
      await ctx.close();
    }
  });
program
  .command('export')
  .description("export an account's conversations or messages to XLSX or CSV, with a progress line")
  .requiredOption('--account <id>', 'account id')
  .requiredOption('--out <file>', 'output file (.xlsx or .csv)')
  .option('--kind <kind>', 'conversations | messages | contacts', 'messages')
  .option('--format <format>', 'xlsx | csv (default: from the file name)')
  .option('--q <query>', 'full-text query, as in search')
  .option('--status <status>', 'open | pending | snoozed | resolved')
  .option('--assignee <id>', 'user id, or "none"')
  .option('--team <id>', 'team id')
  .option('--channel <id>', 'channel id')
  .option('--contact <id>', 'contact id')
  .option('--label <label>', 'conversation label')
  .option('--from <time>', 'epoch ms, ISO date-time or YYYY-MM-DD')
  .option('--to <time>', 'exclusive end: epoch ms, ISO date-time or YYYY-MM-DD')
  .action(async (o: ExportCommandOptions) => {
    const ctx = await createContext(loadConfig(), { migrate: true });
    try {
      await exportCommand(ctx, o, (line) => process.stderr.write(line));
    } finally {
      await ctx.close();
    }
  });

program
  .command('import-contacts')
  .description(
    'import contacts from a CSV or XLSX file (name, phone, email, channelId, externalId, labels, optIn), as POST /contacts/import does, with a progress line',
  )
  .argument('<file>', 'CSV file (UTF-8, comma or semicolon) or .xlsx (the first sheet), a header row')
  .requiredOption('--account <id>', 'account id')
  .requiredOption(
    '--source <text>',
    'where the list comes from, kept with each consent decision (e.g. "CRM export 2026-11")',
  )
  .option('--channel <id>', 'channel of rows without a channelId column')
  .option('--opt-in', 'record an explicit opt-in for rows whose optIn cell is empty')
  .option('--mapping <json>', 'header → field or attributes.<key> (null: ignore), e.g. \'{"Client":"name"}\'')
  .action(async (file: string, o: ImportCommandOptions) => {
    const ctx = await createContext(loadConfig(), { migrate: true });
    try {
      await importContactsCommand(
        ctx,
        file,
        o,
        (line) => console.log(line),
        (line) => process.stderr.write(line),
      );
    } finally {
      await ctx.close();
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DomainError) {
    console.error(`switchboard: ${err.message}`);
  } else {
    console.error('switchboard: unexpected error:', err);
  }
  process.exit(1);
});
