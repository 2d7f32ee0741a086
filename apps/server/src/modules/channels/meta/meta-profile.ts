import { RetryableError } from '../../../worker/job-errors.ts';
import { GraphApiError, type GraphConn, GraphNetworkError, type Http, graphCall } from './graph-client.ts';

/**
 * A customer's profile by their page- or Instagram-scoped id (`GET /<id>?fields=…`, User Profile API).
 * Meta answers only with the right permission and when the person allows it: a refusal is "no name",
 * an outage is retried.
 */
export async function fetchMetaProfile(
  http: Http,
  conn: GraphConn,
  id: string,
  fields: string[],
  nameOf: (p: Record<string, unknown>) => string | null,
): Promise<{ name: string | null }> {
  if (!/^[\w.-]{1,100}$/.test(id)) return { name: null };
  try {
    const p = await graphCall<Record<string, unknown>>(http, conn, 'GET', `${id}?fields=${fields.join(',')}`);
    return { name: nameOf(p) };
  } catch (err) {
    if (err instanceof GraphNetworkError || (err instanceof GraphApiError && err.httpStatus >= 500)) {
      throw new RetryableError((err as Error).message);
    }
    return { name: null };
  }
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** Messenger: first and last name. */
export const messengerName = (p: Record<string, unknown>) =>
  [text(p.first_name), text(p.last_name)].filter(Boolean).join(' ') || null;

/** Instagram: the name, else the username. */
export const instagramName = (p: Record<string, unknown>) => text(p.name) ?? text(p.username);
