import { Anchor, Collapse, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import type { Message } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';

interface MailAddress {
  address: string;
  name: string | null;
}

/** What the e-mail channel keeps of a mail in `meta.email`. */
export interface EmailMeta {
  subject?: string | null;
  from?: MailAddress | null;
  to?: MailAddress[];
  cc?: (MailAddress | string)[];
  quoted?: string | null;
  /** Sanitised by the server: formatting only, images only `cid:` references to the mail's own files. */
  html?: string | null;
  /** Which attachment (by position) each inline image's Content-ID is. */
  inline?: { cid: string; index: number }[];
}

export function emailOf(m: Message): EmailMeta | null {
  const e = m.meta?.email;
  return e && typeof e === 'object' ? (e as EmailMeta) : null;
}

const show = (a: MailAddress | string) =>
  typeof a === 'string' ? a : a.name ? `${a.name} <${a.address}>` : a.address;

/** Subject, From, To and Cc of a mail, as a mail program shows them (plain text nodes only). */
export function EmailHeader({ m }: { m: Message }) {
  const { t } = useI18n();
  const e = emailOf(m);
  if (!e) return null;
  const rows: [string, string][] = [];
  if (e.from) rows.push([t('email.from'), show(e.from)]);
  if (e.to?.length) rows.push([t('email.to'), e.to.map(show).join(', ')]);
  if (e.cc?.length) rows.push([t('email.cc'), e.cc.map(show).join(', ')]);
  return (
    <Stack gap={0} data-testid="email-header">
      {e.subject && (
        <Text size="sm" fw={600} className="sb-text" dir="auto" data-testid="email-subject">
          {e.subject}
        </Text>
      )}
      {rows.map(([label, value]) => (
        <Text key={label} size="xs" c="dimmed" className="sb-text" data-testid="email-address-line">
          {label}: <bdi>{value}</bdi>
        </Text>
      ))}
    </Stack>
  );
}

/** The history a reply quotes, folded away until asked for. */
export function QuotedHistory({ m }: { m: Message }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const quoted = emailOf(m)?.quoted;
  if (!quoted) return null;
  return (
    <div>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid="email-quoted-toggle"
      >
        {open ? t('email.hideQuoted') : t('email.showQuoted')}
      </Anchor>
      <Collapse expanded={open}>
        <Text
          size="xs"
          c="dimmed"
          className="sb-text"
          dir="auto"
          data-testid="email-quoted"
          style={{ borderLeft: '2px solid var(--mantine-color-gray-4)', paddingLeft: 8, marginTop: 4 }}
        >
          {quoted}
        </Text>
      </Collapse>
    </div>
  );
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * The mail as its sender formatted it, on request: the server-sanitised HTML in a sandboxed frame (no
 * scripts can run in it at all, and the console's own CSP still allows images from this server only),
 * with inline `cid:` images pointed at the mail's stored files.
 */
export function EmailHtml({ m }: { m: Message }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  const e = emailOf(m);
  if (!e?.html) return null;
  const html = e.html.replace(/src="cid:([^"]+)"/g, (whole, cid: string) => {
    const hit = e.inline?.find((i) => i.cid === cid);
    const url = hit ? m.attachments[hit.index]?.url : null;
    return url?.startsWith('/') ? `src="${escapeAttr(url)}"` : whole;
  });
  return (
    <div>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid="email-html-toggle"
      >
        {open ? t('email.hideHtml') : t('email.showHtml')}
      </Anchor>
      {open && (
        <iframe
          ref={frame}
          title={t('email.showHtml')}
          sandbox="allow-same-origin"
          referrerPolicy="no-referrer"
          srcDoc={`<!doctype html><meta charset="utf-8"><base target="_blank"><style>body{font:14px system-ui,sans-serif;margin:8px;word-wrap:break-word}img{max-width:100%}</style>${html}`}
          onLoad={() => {
            const body = frame.current?.contentDocument?.body;
            if (body && frame.current)
              frame.current.style.height = `${Math.min(body.scrollHeight + 20, 600)}px`;
          }}
          style={{
            width: '100%',
            border: '1px solid var(--mantine-color-gray-3)',
            borderRadius: 6,
            background: '#fff',
          }}
          data-testid="email-html"
        />
      )}
    </div>
  );
}
