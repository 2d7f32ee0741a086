/**
 * The customer-side link the route fetches on the fly: only for an inbound file that was never meant to
 * be downloaded (a provider whose terms forbid keeping it, like Instagram's CDN links). Files waiting
 * for or refused by the download job are not fetched here.
 */
export function proxiedLink(a: {
  storage_key: string | null;
  source_url: string | null;
  download_status: string | null;
  direction: string;
}): string | null {
  if (a.storage_key || a.download_status !== null || a.direction !== 'in') return null;
  return a.source_url && /^https?:\/\//i.test(a.source_url) ? a.source_url : null;
}
