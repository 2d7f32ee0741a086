/**
 * What to call a contact who has no name: their phone number, else their e-mail, else a friendly name
 * made from the contact's id (an anonymous site visitor: "Azure Fox" / "Лазурный лис"). The generated
 * name is the same on every screen and every reload, in both languages, so operators can tell two
 * anonymous visitors apart and talk about "the Amber Owl" — never a row of "Unknown contact".
 */

export type LabelLang = 'en' | 'ru';

// Russian adjectives agree with the noun's gender: every noun below is masculine, every adjective too.
const ADJECTIVES: readonly [en: string, ru: string][] = [
  ['Azure', 'Лазурный'],
  ['Amber', 'Янтарный'],
  ['Silver', 'Серебряный'],
  ['Golden', 'Золотой'],
  ['Emerald', 'Изумрудный'],
  ['Coral', 'Коралловый'],
  ['Scarlet', 'Алый'],
  ['Teal', 'Бирюзовый'],
  ['Violet', 'Фиолетовый'],
  ['Crimson', 'Багряный'],
  ['Copper', 'Медный'],
  ['Snowy', 'Снежный'],
  ['Sunny', 'Солнечный'],
  ['Quiet', 'Тихий'],
  ['Brave', 'Смелый'],
  ['Swift', 'Быстрый'],
];

const ANIMALS: readonly [en: string, ru: string][] = [
  ['Fox', 'лис'],
  ['Wolf', 'волк'],
  ['Hedgehog', 'ёж'],
  ['Badger', 'барсук'],
  ['Beaver', 'бобр'],
  ['Crane', 'журавль'],
  ['Whale', 'кит'],
  ['Penguin', 'пингвин'],
  ['Dolphin', 'дельфин'],
  ['Tiger', 'тигр'],
  ['Lion', 'лев'],
  ['Bear', 'медведь'],
  ['Deer', 'олень'],
  ['Falcon', 'сокол'],
  ['Raccoon', 'енот'],
  ['Moose', 'лось'],
  ['Hare', 'заяц'],
  ['Sparrow', 'воробей'],
  ['Elephant', 'слон'],
  ['Giraffe', 'жираф'],
  ['Stork', 'аист'],
  ['Owl', 'филин'],
  ['Seal', 'тюлень'],
  ['Lemur', 'лемур'],
];

/** FNV-1a over the id: stable across runtimes, spreads UUIDv7's shared time prefix well enough. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A friendly, deterministic name for an anonymous contact. */
export function generatedContactName(contactId: string, lang: LabelLang): string {
  const h = hash(contactId);
  const adjective = ADJECTIVES[h % ADJECTIVES.length]!;
  const animal = ANIMALS[Math.floor(h / ADJECTIVES.length) % ANIMALS.length]!;
  return lang === 'ru' ? `${adjective[1]} ${animal[1]}` : `${adjective[0]} ${animal[0]}`;
}

export interface LabelledContact {
  id: string;
  name: string | null;
  phone?: string | null;
  email?: string | null;
}

/** The name to show for a contact: its name, phone, e-mail, or the generated name. */
export function contactLabel(c: LabelledContact, lang: LabelLang): string {
  return c.name?.trim() || c.phone?.trim() || c.email?.trim() || generatedContactName(c.id, lang);
}
