import type { ChannelRuntime } from '../channel-adapter.ts';
import { type Http, graphRequest } from './graph-client.ts';

/** A template Meta approved for this business account, as an operator picks it. */
export interface ApprovedTemplate {
  name: string;
  language: string;
  category: string | null;
  /** The body text with its `{{1}}`, `{{2}}`... placeholders, for a preview. */
  body: string | null;
  /** How many values `{{1}}`..`{{n}}` the body needs. */
  bodyParameters: number;
  /** How many values a text header needs (0 without one). */
  headerParameters: number;
}

interface GraphTemplate {
  name?: unknown;
  language?: unknown;
  status?: unknown;
  category?: unknown;
  components?: { type?: unknown; format?: unknown; text?: unknown }[];
}

/** Most placeholders a positional template uses; named ones (`{{order_id}}`) the send path cannot fill. */
export function positionalParameters(text: string | null): number | null {
  if (!text) return 0;
  let max = 0;
  for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    const n = Number(m[1]);
    if (!Number.isInteger(n) || n < 1) return null;
    max = Math.max(max, n);
  }
  return max;
}

/** One Graph template as the console sees it; undefined for those it cannot send (not approved, named). */
export function toApprovedTemplate(t: GraphTemplate): ApprovedTemplate | undefined {
  if (t.status !== 'APPROVED' || typeof t.name !== 'string' || typeof t.language !== 'string')
    return undefined;
  const part = (type: string) => t.components?.find((c) => String(c.type).toUpperCase() === type);
  const body = part('BODY');
  const header = part('HEADER');
  const bodyText = typeof body?.text === 'string' ? body.text : null;
  const headerText =
    header && String(header.format).toUpperCase() === 'TEXT' && typeof header.text === 'string'
      ? header.text
      : null;
  const bodyParameters = positionalParameters(bodyText);
  const headerParameters = positionalParameters(headerText);
  if (bodyParameters === null || headerParameters === null) return undefined;
  return {
    name: t.name,
    language: t.language,
    category: typeof t.category === 'string' ? t.category : null,
    body: bodyText,
    bodyParameters,
    headerParameters,
  };
}

/** At most this many pages of 100 are read: a business account rarely has more than a few dozen. */
const MAX_PAGES = 5;

/**
 * The approved templates of the channel's WhatsApp Business Account (`GET /<WABA_ID>/message_templates`),
 * sorted by name and language. Needs the channel's businessAccountId.
 */
export async function listApprovedTemplates(
  http: Http,
  channel: ChannelRuntime,
): Promise<ApprovedTemplate[]> {
  const waba = String(channel.settings.businessAccountId);
  const out: ApprovedTemplate[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams({ fields: 'name,language,status,category,components', limit: '100' });
    if (after) q.set('after', after);
    const res = await graphRequest<{
      data?: GraphTemplate[];
      paging?: { cursors?: { after?: string }; next?: string };
    }>(http, channel, 'GET', `${waba}/message_templates?${q}`);
    for (const t of res.data ?? []) {
      const a = toApprovedTemplate(t);
      if (a) out.push(a);
    }
    after = res.paging?.next ? res.paging.cursors?.after : undefined;
    if (!after) break;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}
