import type { Message } from '../../api/types.ts';

export interface Place {
  latitude: number;
  longitude: number;
  label: string;
}

const inRange = (lat: number, lng: number) => Math.abs(lat) <= 90 && Math.abs(lng) <= 180;

/** A shared location from the message's meta, or from its text ("…(lat, lng)" or "lat, lng"). */
export function placeOf(m: Pick<Message, 'text' | 'meta'>): Place | null {
  const loc = (m.meta?.location ?? null) as { latitude?: unknown; longitude?: unknown } | null;
  if (
    loc &&
    typeof loc.latitude === 'number' &&
    typeof loc.longitude === 'number' &&
    inRange(loc.latitude, loc.longitude)
  )
    return { latitude: loc.latitude, longitude: loc.longitude, label: m.text ?? '' };
  const match = /(-?\d{1,2}(?:\.\d+)?),\s*(-?\d{1,3}(?:\.\d+)?)\)?\s*$/.exec(m.text ?? '');
  if (!match) return null;
  const lat = Number(match[1]);
  const lng = Number(match[2]);
  return inRange(lat, lng) ? { latitude: lat, longitude: lng, label: m.text ?? '' } : null;
}

export function mapUrl(p: Place): string {
  const lat = p.latitude.toFixed(6);
  const lng = p.longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=16/${lat}/${lng}`;
}

/** A shared contact card: its name and a dialable phone number (digits and a leading + only). */
export function sharedContactOf(m: Pick<Message, 'text' | 'meta'>): { name: string; phone: string | null } {
  const c = (m.meta?.sharedContact ?? null) as { name?: unknown; phone?: unknown } | null;
  const text = m.text ?? '';
  const rawPhone = typeof c?.phone === 'string' ? c.phone : (/(\+?[\d\s()-]{5,})$/.exec(text)?.[1] ?? null);
  const phone = rawPhone ? rawPhone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '') : null;
  const name =
    typeof c?.name === 'string' ? c.name : rawPhone ? text.slice(0, text.lastIndexOf(rawPhone)).trim() : text;
  return { name, phone: phone && phone.replace('+', '').length >= 5 ? phone : null };
}
