import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { createAccountWithAdmin } from '../modules/accounts/account.service.ts';
import { startNode } from '../node.ts';
import { MetaSandbox } from './meta-sandbox.ts';
import { DEMO_VK_CUSTOMER, PhoneServer } from './phone-server.ts';
import { DEMO_SUPPORT_ADDRESS, EmailSandbox } from './email-sandbox.ts';
import { TelegramSandbox } from './telegram-sandbox.ts';
import { TwilioSandbox } from './twilio-sandbox.ts';
import { VkSandbox } from './vk-sandbox.ts';
import { ViberSandbox } from './viber-sandbox.ts';
import { VonageSandbox } from './vonage-sandbox.ts';
import { WhatsAppSandbox } from './whatsapp-sandbox.ts';

export const DEMO_LOGIN = { email: 'demo@example.com', password: 'switchboard-demo' };

export interface DemoOptions {
  port?: number;
  phonePort?: number;
  host?: string;
  /** Default: a fresh temporary folder, so every demo starts clean (and is deleted when it stops). */
  dataDir?: string;
  /** Keep the temporary folder (database, files) when the demo stops. */
  keep?: boolean;
  logLevel?: string;
}

export interface RunningDemo {
  switchboardUrl: string;
  /** The console's view of the conversations waiting for an operator (where the demo's customers are). */
  waitingUrl: string;
  /** The demo's database and files; gone after stop() unless kept. */
  dataDir: string;
  /** Whether stop() leaves dataDir in place. */
  kept: boolean;
  phoneUrl: string;
  login: typeof DEMO_LOGIN;
  stop(): Promise<void>;
}

/** The demo business's second SMS number, on the Vonage sandbox (digits, as Vonage writes them). */
export const DEMO_VONAGE_NUMBER = '15550100400';

/** The demo business's SMS number on the Twilio sandbox. */
export const DEMO_SMS_NUMBER = '+15550100300';

/**
 * Everything a newcomer needs without any provider account: the Telegram, WhatsApp, Twilio and Meta
 * (Messenger, Instagram), Viber and Vonage sandboxes, Switchboard on a fresh SQLite database with a demo account, a
 * Telegram, a WhatsApp, an SMS, a Messenger, an Instagram, a Viber and a second SMS (Vonage) channel connected to the sandboxes exactly
 * as real ones are (getMe + setWebhook; Meta's token check, Page subscription and handshake; Twilio's
 * credential and number check, then the number's "A message comes in" URL, whose posts the sandbox
 * signs for that exact URL), and the customer phone page. A VK community channel is connected to the VK
 * sandbox the same way (token check, then the Callback API server, which VK confirms before any event).
 */
export async function startDemo(opts: DemoOptions = {}): Promise<RunningDemo> {
  const host = opts.host ?? '127.0.0.1';
  const telegram = await new TelegramSandbox().start(0, '127.0.0.1');
  const whatsapp = await new WhatsAppSandbox().start(0, '127.0.0.1');
  const twilio = await new TwilioSandbox().start(0, '127.0.0.1');
  const meta = await new MetaSandbox().start(0, '127.0.0.1');
  const vk = await new VkSandbox().start(0, '127.0.0.1');
  const viber = await new ViberSandbox().start(0, '127.0.0.1');
  const email = await new EmailSandbox().start(0, '127.0.0.1');
  const vonage = await new VonageSandbox().start(0, '127.0.0.1');
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-demo-'));
  // A folder the caller named is theirs; the one made here is the demo's own, deleted on stop unless kept.
  const kept = opts.keep === true || opts.dataDir !== undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'demo.db')}`,
    PORT: String(opts.port ?? 3000),
    HOST: host,
    LOG_LEVEL: opts.logLevel ?? 'warn',
    // The sandboxes listen on loopback, which the SSRF guard refuses unless allowlisted.
    ALLOW_PRIVATE_URLS: [process.env.ALLOW_PRIVATE_URLS, '127.0.0.1'].filter(Boolean).join(','),
  };
  // Webhooks must reach this process directly; a configured public address or Redis is not the demo's.
  delete env.PUBLIC_URL;
  delete env.REDIS_URL;
  const ctx = await createContext(loadConfig(env), { migrate: true });
  const node = await startNode(ctx, { http: true, worker: true });
  const origin = `http://127.0.0.1:${node.port}`;
  const stopAll = async () => {
    await node.stop();
    await email.stop();
    await vk.stop();
    await viber.stop();
    await vonage.stop();
    await meta.stop();
    await twilio.stop();
    await whatsapp.stop();
    await telegram.stop();
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await createAccountWithAdmin(ctx, { accountName: 'Demo shop', name: 'Demo operator', ...DEMO_LOGIN });
    const app = node.app!;
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: DEMO_LOGIN });
    const cookie = login.cookies.find((c) => c.name === 'sb_session');
    if (login.statusCode !== 200 || !cookie) throw new Error(`demo login failed: ${login.body}`);
    const createChannel = async (payload: object) => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/channels',
        headers: {
          cookie: `sb_session=${cookie.value}`,
          'x-csrf-token': login.json().csrfToken,
          host: new URL(origin).host,
        },
        payload,
      });
      if (r.statusCode !== 201) throw new Error(`demo channel failed: ${r.body}`);
      return r.json() as { connection: { webhookUrl: string; verifyToken: string } };
    };

    const bot = telegram.createBot({ username: 'switchboard_demo_bot', firstName: 'Demo Shop' });
    await createChannel({
      type: 'telegram',
      name: 'Telegram (sandbox)',
      settings: { botToken: bot.token, apiBaseUrl: telegram.url },
    });
    const number = whatsapp.createNumber({ displayPhoneNumber: '15550100200', verifiedName: 'Demo Shop' });
    whatsapp.addTemplate(number.phoneNumberId, {
      name: 'order_update',
      language: 'en',
      bodyParameters: 1,
      body: 'Hello! Your order {{1}} has been shipped. Reply to this message if you have any questions.',
    });
    const wa = await createChannel({
      type: 'whatsapp',
      name: 'WhatsApp (sandbox)',
      settings: {
        phoneNumberId: number.phoneNumberId,
        // Lets the console list the approved templates when the 24-hour window has closed.
        businessAccountId: number.wabaId,
        accessToken: number.accessToken,
        appSecret: number.appSecret,
        apiBaseUrl: whatsapp.url,
      },
    });
    if (
      !(await whatsapp.subscribe(number.phoneNumberId, wa.connection.webhookUrl, wa.connection.verifyToken))
    ) {
      throw new Error('the WhatsApp sandbox could not verify the webhook');
    }
    const sms = twilio.createAccount('Demo Shop');
    twilio.addNumber(sms.accountSid, DEMO_SMS_NUMBER);
    const tw = await createChannel({
      type: 'twilio_sms',
      name: 'SMS (sandbox)',
      settings: { ...sms, fromNumber: DEMO_SMS_NUMBER, apiBaseUrl: twilio.url },
    });
    // What an admin pastes into the number's settings in the Twilio console: the URL the console shows.
    twilio.setWebhook(sms.accountSid, DEMO_SMS_NUMBER, tw.connection.webhookUrl);
    // Meta granted the demo Page's app the Human Agent permission, so replies may go out for 7 days.
    const fbPage = meta.createPage({ name: 'Demo Shop', humanAgent: true });
    const fb = await createChannel({
      type: 'messenger',
      name: 'Messenger (sandbox)',
      settings: {
        pageId: fbPage.pageId,
        pageAccessToken: fbPage.pageAccessToken,
        appSecret: fbPage.appSecret,
        humanAgentTag: true,
        apiBaseUrl: meta.url,
      },
    });
    if (!(await meta.subscribe(fbPage.pageId, fb.connection.webhookUrl, fb.connection.verifyToken))) {
      throw new Error('the Meta sandbox could not verify the Messenger webhook');
    }
    const igAccount = meta.createInstagramAccount({ username: 'demo.shop' });
    const ig = await createChannel({
      type: 'instagram',
      name: 'Instagram (sandbox)',
      settings: {
        instagramAccountId: igAccount.instagramAccountId,
        accessToken: igAccount.accessToken,
        appSecret: igAccount.appSecret,
        apiBaseUrl: meta.url,
      },
    });
    if (
      !(await meta.subscribe(
        igAccount.instagramAccountId,
        ig.connection.webhookUrl,
        ig.connection.verifyToken,
      ))
    ) {
      throw new Error('the Meta sandbox could not verify the Instagram webhook');
    }
    // VK: the community's token, then its Callback API server, which VK confirms before sending events.
    const community = vk.createCommunity({ name: 'Demo Shop', screenName: 'demo_shop' });
    vk.addUser(DEMO_VK_CUSTOMER);
    const vkChannel = await createChannel({
      type: 'vk',
      name: 'VK (sandbox)',
      settings: {
        groupId: community.groupId,
        accessToken: community.accessToken,
        secret: community.secret,
        confirmationCode: community.confirmationCode,
        apiBaseUrl: vk.apiBaseUrl,
      },
    });
    if (!(await vk.setCallbackServer(community.groupId, vkChannel.connection.webhookUrl))) {
      throw new Error('the VK sandbox could not confirm the Callback API server');
    }
    // Viber: set_webhook is called by Switchboard itself, and the sandbox probes the URL before accepting it.
    const viberBot = viber.createBot('Demo Shop');
    await createChannel({
      type: 'viber',
      name: 'Viber (sandbox)',
      settings: {
        authToken: viberBot.authToken,
        senderName: 'Demo Shop',
        welcomeMessage: 'Hi! This is Demo Shop. Write to us here any time.',
        apiBaseUrl: viber.apiBaseUrl,
      },
    });
    // E-mail: the sandbox's SMTP server sends, and forwards mail for the shop's domain as a Mailgun route.
    const mail = await createChannel({
      type: 'email',
      name: 'E-mail (sandbox)',
      settings: {
        address: DEMO_SUPPORT_ADDRESS,
        fromName: '{operator} at Demo Shop',
        smtp: { host: '127.0.0.1', port: email.port, secure: false },
        inbound: 'mailgun',
        mailgunSigningKey: email.signingKey,
      },
    });
    email.routeUrl = (mail.connection as { webhookUrl: string }).webhookUrl;
    // Vonage: the application's Inbound and Status URLs are what the admin pastes from the channel.
    const vonageAccount = vonage.createAccount(DEMO_VONAGE_NUMBER);
    const vn = await createChannel({
      type: 'vonage_sms',
      name: 'SMS 2 (Vonage sandbox)',
      settings: { ...vonageAccount, fromNumber: DEMO_VONAGE_NUMBER, apiBaseUrl: vonage.url },
    });
    vonage.setWebhooks(vonageAccount.apiKey, vn.connection.webhookUrl);
    const phone = await new PhoneServer({
      telegram,
      botToken: bot.token,
      botUsername: 'switchboard_demo_bot',
      whatsapp,
      phoneNumberId: number.phoneNumberId,
      displayPhoneNumber: '15550100200',
      twilio,
      twilioAccountSid: sms.accountSid,
      smsNumber: DEMO_SMS_NUMBER,
      meta,
      pageId: fbPage.pageId,
      instagramAccountId: igAccount.instagramAccountId,
      vk,
      vkGroupId: community.groupId,
      viber,
      viberToken: viberBot.authToken,
      email,
      vonage,
      vonageApiKey: vonageAccount.apiKey,
      vonageNumber: DEMO_VONAGE_NUMBER,
    }).start(opts.phonePort ?? 3001, host);
    // Two customers are already waiting when the operator first looks: a photo of a damaged parcel on
    // Telegram, a question on WhatsApp, each under the customer's own name.
    await phone.send({
      messenger: 'telegram',
      photo: true,
      text: 'Hi! My parcel arrived like this, the box is crushed. Can you send a new one?',
    });
    await phone.send({ messenger: 'whatsapp', text: 'Hello, do you have the blue sneakers in size 42?' });
    return {
      switchboardUrl: origin,
      waitingUrl: `${origin}/inbox/unassigned`,
      dataDir,
      kept,
      phoneUrl: phone.url,
      login: DEMO_LOGIN,
      stop: async () => {
        await phone.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
