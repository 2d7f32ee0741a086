/**
 * Splits a reply into what the customer wrote now and the quoted history below it, by the markers the
 * common mail clients put before the quote: "On … wrote:" (Gmail, Apple Mail, Thunderbird, also in
 * German, French, Spanish and Russian), Outlook's "-----Original Message-----" or its From:/Sent: block,
 * and a run of "> " lines.
 */
const MARKERS: RegExp[] = [
  /^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|исходное сообщение)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^(from|von|de|от):\s.+$/i,
];
const WROTE = /(wrote|schrieb|a écrit|escribió|написал[а]?|пишет)\s*:\s*$/i;
const ATTRIBUTION = /^(on|am|le|el|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\w+,?\s+\d{1,2})\b/i;

export function splitQuoted(text: string): { fresh: string; quoted: string | null } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = -1;
  for (let i = 0; i < lines.length && cut < 0; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (line.startsWith('>')) {
      const rest = lines.slice(i).filter((l) => l.trim());
      // A quote block ending the mail (an interleaved answer keeps everything).
      if (rest.every((l) => l.trim().startsWith('>'))) cut = i;
      continue;
    }
    if (MARKERS.some((m) => m.test(line)) && (i === 0 || lines[i - 1]!.trim() === '' || /^-+/.test(line))) {
      // Outlook's header block: From: followed by Sent:/To:/Subject: lines.
      if (
        /^(from|von|de|от):/i.test(line) &&
        !/^(sent|date|to|subject|gesendet|отправлено|кому|тема):/i.test(lines[i + 1]?.trim() ?? '')
      )
        continue;
      cut = i;
      continue;
    }
    // "… wrote:" naming a date or an address ("7 декабря 2026 г., Acme <a@b> написал:" too).
    if (WROTE.test(line) && (ATTRIBUTION.test(line) || /@|\d/.test(line))) cut = i;
    // The attribution wrapped over two lines ("On Mon, … at 10:00 Ann <ann@" / "example.com> wrote:").
    else if (ATTRIBUTION.test(line) && WROTE.test(lines[i + 1]?.trim() ?? '') && lines[i + 1]!.length < 80)
      cut = i;
  }
  if (cut <= 0) return { fresh: text.trim(), quoted: null };
  const fresh = lines.slice(0, cut).join('\n').trim();
  const quoted = lines.slice(cut).join('\n').trim();
  return fresh ? { fresh, quoted: quoted || null } : { fresh: text.trim(), quoted: null };
}
