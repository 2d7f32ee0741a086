/** @mentions of colleagues in private notes: plain "@Full Name" text, recognised against known names. */

/** The "@que" being typed just before the caret, if any. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)@([\p{L}\p{N}_.'-]*(?: [\p{L}\p{N}_.'-]*)?)$/u.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]! };
}

/** Replaces the "@que" at `start` with "@Name " and says where the caret goes. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

export function matchesName(name: string, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return name
    .toLowerCase()
    .split(/\s+/)
    .some((_part, i, parts) => parts.slice(i).join(' ').startsWith(q));
}

const boundary = /^[\s.,;:!?)]|^$/u;

/** Whether the text mentions this person ("@Anna Smith" followed by a space, punctuation or the end). */
export function mentions(text: string, name: string): boolean {
  const needle = `@${name}`;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (at > 0 && !/\s/.test(text[at - 1]!)) continue;
    if (boundary.test(text.slice(at + needle.length, at + needle.length + 1))) return true;
  }
  return false;
}

/** Splits text into plain runs and mentions of the given names (longest names first), for highlighting. */
export function splitMentions(text: string, names: string[]): { text: string; mention: boolean }[] {
  const sorted = [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length);
  const out: { text: string; mention: boolean }[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const name =
      text[i] === '@' && (i === 0 || /\s/.test(text[i - 1]!))
        ? sorted.find(
            (n) =>
              text.startsWith(`@${n}`, i) && boundary.test(text.slice(i + n.length + 1, i + n.length + 2)),
          )
        : undefined;
    if (name) {
      if (plain) out.push({ text: plain, mention: false });
      plain = '';
      out.push({ text: `@${name}`, mention: true });
      i += name.length + 1;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (plain) out.push({ text: plain, mention: false });
  return out;
}
