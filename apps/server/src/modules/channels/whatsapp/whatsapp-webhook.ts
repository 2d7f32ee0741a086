import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelRuntime, ProviderEvent, WebhookRequest, WebhookResult } from '../channel-adapter.ts';
import { assertMetaSignature, metaHandshake } from '../meta/meta-webhook.ts';
import { type WaStoredEvent, waChangeValue, waEnvelope } from './whatsapp-types.ts';

export { SIGNATURE_HEADER, verifyMetaSignature } from '../meta/meta-webhook.ts';

/**
 * GET: Meta's subscription handshake (answer the bare challenge when the verify token matches).
 * POST: signed batch; every message and every status becomes its own provider event, keyed by wamid
 * and by `wamid:status`. Events of another phone number on the same app are ignored.
 */
export function handleWhatsAppWebhook(req: WebhookRequest, channel: ChannelRuntime): WebhookResult {
  if (req.method === 'GET') return metaHandshake(req, channel.credentials.verifyToken);
  assertMetaSignature(req, channel.credentials.appSecret);
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new DomainError('invalid_json', 'The request body is not valid JSON');
  }
  const env = waEnvelope.safeParse(json);
  if (!env.success) throw new DomainError('validation_error', 'Not a WhatsApp Business webhook envelope');
  const events: ProviderEvent[] = [];
  if (env.data.object === 'whatsapp_business_account') {
    for (const entry of env.data.entry) {
      for (const change of entry.changes) {
        if (change.field !== 'messages') continue;
        const v = waChangeValue.safeParse(change.value);
        if (!v.success || v.data.metadata.phone_number_id !== channel.settings.phoneNumberId) continue;
        for (const m of v.data.messages ?? []) {
          const from = typeof m.from === 'string' ? m.from : (m.from_user_id as string | undefined);
          const contact =
            v.data.contacts?.find((c) => (c.wa_id ?? c.user_id) === from) ??
            (v.data.contacts?.length === 1 ? v.data.contacts[0]! : null);
          const payload: WaStoredEvent = { kind: 'message', contact, message: m };
          events.push({ providerEventId: m.id, payload, ...(from ? { orderKey: from } : {}) });
        }
        for (const s of v.data.statuses ?? []) {
          const payload: WaStoredEvent = { kind: 'status', status: s };
          events.push({ providerEventId: `${s.id}:${s.status}`, payload });
        }
      }
    }
  }
  return { events, response: { status: 200, body: '' } };
}
