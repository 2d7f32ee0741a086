import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxServer, sendBytes, sendJson } from './http-kit.ts';

/**
 * A local Twilio Programmable Messaging server for tests and the demo. It speaks the REST API
 * (`/2010-04-01/Accounts/<AC>.json`, `IncomingPhoneNumbers.json`, `Messages.json` with HTTP Basic
 * AccountSid:AuthToken, Message resources and `{code, message, more_info, status}` errors), serves MMS
 * media behind Basic auth with a redirect to its media store, and plays the phone network: customers'
 * texts arrive at a number's "A message comes in" URL as form posts signed with `X-Twilio-Signature`, the
 * business's messages get status callbacks (sent, delivered; undelivered with ErrorCode for numbers that
 * cannot receive), and, as Twilio does by default on long codes, STOP/START/HELP are answered by "Twilio",
 * block or unblock the pair (sends then fail with 21610) and are still forwarded to the webhook.
 *
 * Deliberate differences: one media store host (the redirect stays on this server), no pricing, no
 * scheduling, no Messaging Service pools beyond "these numbers belong to it".
 */

export interface TwilioErrorScript {
  httpStatus: number;
  code: number;
  message: string;
}

export interface SandboxMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  messagingServiceSid: string | null;
  statusCallback: string | null;
  status: string;
  direction: 'inbound' | 'outbound-api' | 'outbound-reply';
  errorCode: number | null;
  at: number;
}

/** The webhook's answer to one customer text. */
export interface TextResult {
  sid: string;
  status: number;
  contentType: string;
  body: string;
  /** `<Message>` texts of the TwiML answer (delivered to the customer unless they opted out). */
  twimlReplies: string[];
}

interface Number {
  sid: string;
  phone: string;
  smsUrl: string | null;
  smsMethod: 'POST' | 'GET';
  /** Twilio's default STOP/START/HELP handling (long codes, toll-free). Short codes: false. */
  keywordHandling: boolean;
}

interface Account {
  sid: string;
  authToken: string;
  friendlyName: string;
  numbers: Map<string, Number>;
  services: Map<string, string[]>;
  /** `<business number>|<customer>` pairs blocked by a STOP. */
  optedOut: Set<string>;
  failures: TwilioErrorScript[];
  /** Numbers whose carrier reports them unreachable (30003) after a send. */
  unreachable: Set<string>;
  /**
   * Customers who opted out where the REST call cannot see it (e.g. with the carrier, or on another
   * number of a Messaging Service): the send is accepted, then its status callback reports `failed` with
   * ErrorCode 21610.
   */
  optedOutLater: Set<string>;
  messages: SandboxMessage[];
}

interface Media {
  sid: string;
  messageSid: string;
  accountSid: string;
  bytes: Buffer;
  contentType: string;
}

const OPT_OUT = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
const OPT_IN = ['START', 'YES', 'UNSTOP'];
const HELP = ['HELP', 'INFO'];
const hex32 = () => randomBytes(16).toString('hex');

/** Twilio's own signature scheme, as its libraries compute it (URL + sorted name+value). */
export function signTwilio(authToken: string, url: string, params: [string, string][]): string {
  const sorted = [...params].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const data = url + sorted.map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export class TwilioSandbox {
  private readonly accounts = new Map<string, Account>();
  private readonly media = new Map<string, Media>();
  private readonly store = new Map<string, Media>();
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));
  private chain: Promise<void> = Promise.resolve();
  /** Every webhook and callback posted: URL, status and answer. */
  readonly webhookLog: { url: string; status: number; body: string; params: Record<string, string> }[] = [];
  /** Deliver the next message's callbacks as delivered-then-sent (out of order, as Twilio may). */
  outOfOrderStatuses = false;

  get url(): string {
    return this.server.url;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await this.server.listen(port, host);
    return this;
  }

  async stop(): Promise<void> {
    await this.settle();
    await this.server.close();
  }

  /** Waits until every webhook and callback caused so far was delivered. */
  async settle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  /** An account with its credentials as the console shows them. */
  createAccount(friendlyName = 'Sandbox Account'): { accountSid: string; authToken: string } {
    const a: Account = {
      sid: `AC${hex32()}`,
      authToken: hex32(),
      friendlyName,
      numbers: new Map(),
      services: new Map(),
      optedOut: new Set(),
      failures: [],
      unreachable: new Set(),
      optedOutLater: new Set(),
      messages: [],
    };
    this.accounts.set(a.sid, a);
    return { accountSid: a.sid, authToken: a.authToken };
  }

  /** Buys a number; `keywordHandling: false` behaves like a short code (no automatic STOP answers). */
  addNumber(accountSid: string, phone: string, opts: { keywordHandling?: boolean } = {}): string {
    const sid = `PN${hex32()}`;
    this.account(accountSid).numbers.set(phone, {
      sid,
      phone,
      smsUrl: null,
      smsMethod: 'POST',
      keywordHandling: opts.keywordHandling ?? true,
    });
    return sid;
  }

  /** A Messaging Service sending from these numbers. */
  addMessagingService(accountSid: string, phones: string[]): string {
    const sid = `MG${hex32()}`;
    this.account(accountSid).services.set(sid, phones);
    return sid;
  }

  /** What an admin types into the number's "A message comes in" field. */
  setWebhook(accountSid: string, phone: string, url: string, method: 'POST' | 'GET' = 'POST'): void {
    const n = this.number(this.account(accountSid), phone);
    n.smsUrl = url;
    n.smsMethod = method;
  }

  /** The next Messages.json POST of this account answers this error. */
  failNext(accountSid: string, e: TwilioErrorScript): void {
    this.account(accountSid).failures.push(e);
  }

  markUnreachable(accountSid: string, phone: string): void {
    this.account(accountSid).unreachable.add(phone);
  }

  /** Sends to this customer are accepted, then fail with 21610 in the status callback. */
  markOptedOutLater(accountSid: string, phone: string): void {
    this.account(accountSid).optedOutLater.add(phone);
  }

  isOptedOut(accountSid: string, business: string, customer: string): boolean {
    return this.account(accountSid).optedOut.has(`${business}|${customer}`);
  }

  messages(accountSid: string): SandboxMessage[] {
    return this.account(accountSid).messages;
  }

  /** Messages the business sent to this customer (REST API and TwiML replies alike). */
  sentTo(accountSid: string, customer: string): SandboxMessage[] {
    return this.messages(accountSid).filter((m) => m.direction !== 'inbound' && m.to === customer);
  }

  /**
   * A customer texts the business number: the message (with MMS media) is posted, signed, to the number's
   * webhook. Keywords are handled first the way Twilio does by default.
   */
  async customerTexts(
    accountSid: string,
    m: { from: string; to: string; body?: string; media?: { bytes: Uint8Array; contentType: string }[] },
  ): Promise<TextResult> {
    const a = this.account(accountSid);
    const n = this.number(a, m.to);
    const media = m.media ?? [];
    const sid = `${media.length ? 'MM' : 'SM'}${hex32()}`;
    const body = m.body ?? '';
    a.messages.push({
      sid,
      accountSid,
      from: m.from,
      to: m.to,
      body,
      mediaUrls: [],
      messagingServiceSid: null,
      statusCallback: null,
      status: 'received',
      direction: 'inbound',
      errorCode: null,
      at: Date.now(),
    });
    const word = body.trim().toUpperCase();
    const pair = `${m.to}|${m.from}`;
    if (n.keywordHandling) {
      if (OPT_OUT.includes(word)) {
        a.optedOut.add(pair);
        this.autoReply(a, m.to, m.from, 'You have been unsubscribed. Reply START to resubscribe.');
      } else if (OPT_IN.includes(word)) {
        a.optedOut.delete(pair);
        this.autoReply(a, m.to, m.from, 'You have been resubscribed. Reply STOP to unsubscribe.');
      } else if (HELP.includes(word) && !a.optedOut.has(pair)) {
        this.autoReply(a, m.to, m.from, 'Reply STOP to unsubscribe. Msg&Data rates may apply.');
      }
    }
    const params: [string, string][] = [
      ['ToCountry', 'US'],
      ['ToState', 'CA'],
      ['SmsMessageSid', sid],
      ['NumMedia', String(media.length)],
      ['ToCity', 'SAN FRANCISCO'],
      ['FromZip', ''],
      ['SmsSid', sid],
      ['FromState', ''],
      ['SmsStatus', 'received'],
      ['FromCity', ''],
      ['Body', body],
      ['FromCountry', 'US'],
      ['To', m.to],
      ['ToZip', '94105'],
      ['NumSegments', String(Math.max(1, Math.ceil(body.length / 160)))],
      ['MessageSid', sid],
      ['AccountSid', accountSid],
      ['From', m.from],
      ['ApiVersion', '2010-04-01'],
    ];
    media.forEach((f, i) => {
      const meSid = `ME${hex32()}`;
      this.media.set(meSid, {
        sid: meSid,
        messageSid: sid,
        accountSid,
        bytes: Buffer.from(f.bytes),
        contentType: f.contentType,
      });
      params.push([`MediaContentType${i}`, f.contentType]);
      params.push([
        `MediaUrl${i}`,
        `${this.url}/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media/${meSid}`,
      ]);
    });
    if (!n.smsUrl) return { sid, status: 0, contentType: '', body: '', twimlReplies: [] };
    const res = await this.enqueue(n.smsUrl, a.authToken, params, n.smsMethod);
    const replies = [...res.body.matchAll(/<Message[^>]*>([\s\S]*?)<\/Message>/g)].map((x) =>
      unescapeXml(x[1]!),
    );
    for (const text of replies) {
      // A TwiML reply is a message like any other: Twilio does not deliver it to an opted-out pair.
      const blocked = a.optedOut.has(pair);
      a.messages.push({
        sid: `SM${hex32()}`,
        accountSid,
        from: m.to,
        to: m.from,
        body: text,
        mediaUrls: [],
        messagingServiceSid: null,
        statusCallback: null,
        status: blocked ? 'failed' : 'delivered',
        direction: 'outbound-reply',
        errorCode: blocked ? 21610 : null,
        at: Date.now(),
      });
    }
    return { sid, status: res.status, contentType: res.contentType, body: res.body, twimlReplies: replies };
  }

  private autoReply(a: Account, from: string, to: string, body: string): void {
    a.messages.push({
      sid: `SM${hex32()}`,
      accountSid: a.sid,
      from,
      to,
      body,
      mediaUrls: [],
      messagingServiceSid: null,
      statusCallback: null,
      status: 'delivered',
      direction: 'outbound-reply',
      errorCode: null,
      at: Date.now(),
    });
  }

  private account(sid: string): Account {
    const a = this.accounts.get(sid);
    if (!a) throw new Error(`unknown account ${sid}`);
    return a;
  }

  private number(a: Account, phone: string): Number {
    const n = a.numbers.get(phone);
    if (!n) throw new Error(`${phone} is not a number of ${a.sid}`);
    return n;
  }

  /** Posts (or GETs) one signed webhook after the ones caused before it. */
  private enqueue(
    url: string,
    authToken: string,
    params: [string, string][],
    method: 'POST' | 'GET' = 'POST',
  ): Promise<{ status: number; contentType: string; body: string }> {
    const run = this.chain.then(() => this.post(url, authToken, params, method));
    this.chain = run.then(() => undefined);
    return run;
  }

  private async post(
    url: string,
    authToken: string,
    params: [string, string][],
    method: 'POST' | 'GET',
  ): Promise<{ status: number; contentType: string; body: string }> {
    const form = new URLSearchParams(params).toString();
    const target = method === 'GET' ? `${url}${url.includes('?') ? '&' : '?'}${form}` : url;
    const signature =
      method === 'GET' ? signTwilio(authToken, target, []) : signTwilio(authToken, url, params);
    const logged = Object.fromEntries(params);
    try {
      const res = await fetch(target, {
        method,
        headers: {
          'x-twilio-signature': signature,
          'user-agent': 'TwilioProxy/1.1',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: method === 'POST' ? form : undefined,
      });
      const body = await res.text();
      this.webhookLog.push({ url, status: res.status, body, params: logged });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
    } catch (err) {
      this.webhookLog.push({ url, status: 0, body: (err as Error).message, params: logged });
      return { status: 0, contentType: '', body: '' };
    }
  }

  /** Twilio's status callbacks for one message (no callback for the initial status). */
  private callbacks(a: Account, m: SandboxMessage): void {
    if (!m.statusCallback) return;
    const unreachable = a.unreachable.has(m.to);
    const steps: { status: string; errorCode?: number }[] = a.optedOutLater.has(m.to)
      ? [{ status: 'failed', errorCode: 21610 }]
      : unreachable
        ? [{ status: 'sent' }, { status: 'undelivered', errorCode: 30003 }]
        : [{ status: 'sent' }, { status: 'delivered' }];
    if (this.outOfOrderStatuses) {
      steps.reverse();
      this.outOfOrderStatuses = false;
    }
    for (const s of steps) {
      m.status = s.status;
      m.errorCode = s.errorCode ?? null;
      const params: [string, string][] = [
        ['SmsSid', m.sid],
        ['SmsStatus', s.status],
        ['MessageStatus', s.status],
        ['To', m.to],
        ['MessageSid', m.sid],
        ['AccountSid', a.sid],
        ['From', m.from],
        ['ApiVersion', '2010-04-01'],
      ];
      if (m.messagingServiceSid) params.push(['MessagingServiceSid', m.messagingServiceSid]);
      if (s.errorCode) params.push(['ErrorCode', String(s.errorCode)]);
      if (s.status === 'delivered') params.push(['RawDlrDoneDate', dlrDate(new Date())]);
      void this.enqueue(m.statusCallback, a.authToken, params);
    }
  }

  private error(res: ServerResponse, e: TwilioErrorScript): void {
    sendJson(res, e.httpStatus, {
      code: e.code,
      message: e.message,
      more_info: `https://www.twilio.com/docs/errors/${e.code}`,
      status: e.httpStatus,
    });
  }

  /** Basic AccountSid:AuthToken for the account in the path; Twilio answers 401 / 20003 otherwise. */
  private authorised(req: IncomingMessage, res: ServerResponse, accountSid: string): Account | null {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const [user, pass] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    const a = this.accounts.get(accountSid);
    if (a && user === a.sid && pass === a.authToken) return a;
    this.error(res, { httpStatus: 401, code: 20003, message: 'Authenticate' });
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const store = /^\/media-store\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (store && req.method === 'GET') {
      const m = this.store.get(store[1]!);
      if (!m) return sendJson(res, 404, { message: 'Not found' });
      return sendBytes(res, m.bytes, m.contentType);
    }
    const p = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})(\.json|\/.*)$/.exec(url.pathname);
    if (!p) {
      return this.error(res, {
        httpStatus: 404,
        code: 20404,
        message: 'The requested resource was not found',
      });
    }
    const a = this.authorised(req, res, p[1]!);
    if (!a) return;
    const rest = p[2]!;
    if (rest === '.json' && req.method === 'GET') {
      return sendJson(res, 200, {
        sid: a.sid,
        friendly_name: a.friendlyName,
        status: 'active',
        type: 'Full',
        uri: `/2010-04-01/Accounts/${a.sid}.json`,
      });
    }
    if (rest === '/IncomingPhoneNumbers.json' && req.method === 'GET') {
      const want = url.searchParams.get('PhoneNumber');
      const list = [...a.numbers.values()].filter((n) => !want || n.phone === want);
      return sendJson(res, 200, {
        incoming_phone_numbers: list.map((n) => ({
          sid: n.sid,
          account_sid: a.sid,
          phone_number: n.phone,
          sms_url: n.smsUrl,
          sms_method: n.smsMethod,
          capabilities: { sms: true, mms: true, voice: true },
        })),
        page: 0,
        page_size: 50,
        uri: `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers.json`,
      });
    }
    if (rest === '/Messages.json' && req.method === 'POST') return this.createMessage(res, a, body);
    const media = /^\/Messages\/((?:SM|MM)[0-9a-f]{32})\/Media\/(ME[0-9a-f]{32})$/.exec(rest);
    if (media && req.method === 'GET') {
      const m = this.media.get(media[2]!);
      if (!m || m.messageSid !== media[1] || m.accountSid !== a.sid) {
        return this.error(res, {
          httpStatus: 404,
          code: 20404,
          message: 'The requested resource was not found',
        });
      }
      // Like Twilio: a redirect to the media store, whose URL needs no credentials.
      const token = randomBytes(18).toString('base64url');
      this.store.set(token, m);
      res.writeHead(307, { location: `${this.url}/media-store/${token}` });
      res.end();
      return;
    }
    return this.error(res, { httpStatus: 404, code: 20404, message: 'The requested resource was not found' });
  }

  private createMessage(res: ServerResponse, a: Account, raw: Buffer) {
    const form = new URLSearchParams(raw.toString('utf8'));
    const scripted = a.failures.shift();
    if (scripted) return this.error(res, scripted);
    const to = form.get('To') ?? '';
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    const mediaUrls = form.getAll('MediaUrl');
    const bad = (code: number, message: string) => this.error(res, { httpStatus: 400, code, message });
    if (!to) return bad(21604, "A 'To' phone number is required.");
    if (!/^\+[1-9]\d{6,14}$/.test(to))
      return bad(21211, `The 'To' number ${to} is not a valid phone number.`);
    let sender: string;
    if (service) {
      const pool = a.services.get(service);
      if (!pool?.length) return bad(21705, 'The Messaging Service Sid is invalid.');
      sender = pool[0]!;
    } else if (from) {
      if (!a.numbers.has(from)) {
        return bad(
          21606,
          `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
        );
      }
      sender = from;
    } else {
      return bad(21603, "A 'From' phone number is required.");
    }
    if (!body && mediaUrls.length === 0) return bad(21602, 'Message body is required.');
    if (body.length > 1600)
      return bad(21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (mediaUrls.length > 10) return bad(21623, 'Too many media URLs; the maximum is 10.');
    if (a.optedOut.has(`${sender}|${to}`)) return bad(21610, 'Attempt to send to unsubscribed recipient');
    const sid = `${mediaUrls.length ? 'MM' : 'SM'}${hex32()}`;
    const now = new Date();
    const m: SandboxMessage = {
      sid,
      accountSid: a.sid,
      from: sender,
      to,
      body,
      mediaUrls,
      messagingServiceSid: service,
      statusCallback: form.get('StatusCallback'),
      status: service ? 'accepted' : 'queued',
      direction: 'outbound-api',
      errorCode: null,
      at: now.getTime(),
    };
    a.messages.push(m);
    sendJson(res, 201, {
      account_sid: a.sid,
      api_version: '2010-04-01',
      body,
      date_created: now.toUTCString().replace('GMT', '+0000'),
      date_sent: null,
      date_updated: now.toUTCString().replace('GMT', '+0000'),
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: service ? null : sender,
      messaging_service_sid: service,
      num_media: String(mediaUrls.length),
      num_segments: service ? '0' : String(Math.max(1, Math.ceil(body.length / 160))),
      price: null,
      price_unit: 'USD',
      sid,
      status: m.status,
      subresource_uris: { media: `/2010-04-01/Accounts/${a.sid}/Messages/${sid}/Media.json` },
      to,
      uri: `/2010-04-01/Accounts/${a.sid}/Messages/${sid}.json`,
    });
    this.callbacks(a, m);
  }
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** RawDlrDoneDate: YYMMDDhhmm (UTC). */
function dlrDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}
