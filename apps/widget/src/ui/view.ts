import type { Chat } from '../chat.ts';
import { type Strings, formatSize, formatTime } from '../i18n.ts';
import type { PendingMessage, VisitorAttachment, VisitorMessage } from '../types.ts';
import { ICONS, append, el, icon, linkified, onColor, setText } from './dom.ts';
import { CSS } from './styles.ts';

/**
 * The launcher and the chat panel inside a shadow root. Rendering is keyed: a message's node is built
 * once and reused while it does not change, so images are fetched once and the list does not flicker.
 */
export class WidgetView {
  readonly host: HTMLElement;
  private readonly root: ShadowRoot;
  private readonly wrap = el('div', { class: 'sb' });
  private readonly launcher = el('button', { class: 'launcher', type: 'button' });
  private readonly badge = el('span', { class: 'badge', hidden: '' });
  private readonly chatIcon = icon(ICONS.chat);
  private readonly closeIcon = icon(ICONS.close);
  private readonly panel = el('div', { class: 'panel', role: 'dialog', hidden: '' });
  private readonly title = el('div', { class: 'title' });
  private readonly dot = el('span', { class: 'dot' });
  private readonly statusText = el('span');
  private readonly status = el('div', { class: 'status' }, this.dot, this.statusText);
  private readonly notice = el('div', { class: 'notice', hidden: '' });
  private readonly body = el('div', { class: 'body', 'aria-live': 'polite' });
  private readonly welcome = el('div', { class: 'welcome' });
  private readonly list = el('div', { class: 'list' });
  private readonly typing = el('div', { class: 'typing', hidden: '' });
  private readonly composer = el('form', { class: 'composer' });
  private readonly input = el('textarea', { rows: '1', maxlength: '10000' });
  private readonly fileInput = el('input', { type: 'file', hidden: '' });
  private readonly error = el('div', { class: 'error', role: 'alert', hidden: '' });
  private readonly prechat = el('form', { class: 'prechat', hidden: '' });
  private readonly nodes = new Map<string, { sig: string; node: HTMLElement }>();
  private readonly blobs = new Map<string, Promise<string>>();
  private everConnected = false;

  constructor(
    private readonly chat: Chat,
    private readonly t: Strings,
  ) {
    this.host = document.createElement('switchboard-chat');
    // Inline !important beats any rule of the host page, including `* { ... !important }`.
    this.host.setAttribute(
      'style',
      'all: initial !important; position: fixed !important; z-index: 2147483647 !important; ' +
        'top: auto !important; left: auto !important; width: 0 !important; height: 0 !important; ' +
        'display: block !important; visibility: visible !important; opacity: 1 !important; ' +
        'transform: none !important; filter: none !important; contain: none !important;',
    );
    this.root = this.host.attachShadow({ mode: 'open' });
    this.build();
    chat.onChange(() => this.render());
    this.render();
  }

  private build(): void {
    const c = this.chat.state.config;
    this.wrap.classList.add(c.position === 'left' ? 'left' : 'right');
    this.wrap.style.setProperty('--sb-color', c.color);
    this.wrap.style.setProperty('--sb-on-color', onColor(c.color));

    append(this.launcher, this.chatIcon, this.closeIcon, this.badge);
    this.launcher.addEventListener('click', () => this.chat.setOpen(!this.chat.state.open));

    const close = el(
      'button',
      { class: 'icon-btn', type: 'button', 'aria-label': this.t.close },
      icon(ICONS.close),
    );
    close.addEventListener('click', () => this.chat.setOpen(false));
    const head = el('div', { class: 'head' }, el('div', { class: 'titles' }, this.title, this.status), close);

    append(this.body, this.welcome, this.list);
    this.buildComposer();
    append(
      this.panel,
      head,
      this.notice,
      this.body,
      this.prechat,
      this.typing,
      this.error,
      this.composer,
      el('div', { class: 'brand' }, this.t.poweredBy),
    );
    append(this.wrap, this.panel, this.launcher);
    const style = el('style');
    style.textContent = CSS;
    append(this.root, style, this.wrap);
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.chat.setOpen(false);
    });
  }

  private buildComposer(): void {
    const attach = el(
      'button',
      { class: 'icon-btn', type: 'button', 'aria-label': this.t.attach, title: this.t.attach },
      icon(ICONS.attach),
    );
    attach.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (!file) return;
      const problem = this.chat.sendFile(file);
      this.showError(
        problem === 'too_large'
          ? `${this.t.tooLarge} ${formatSize(this.chat.state.config.maxUploadBytes, this.chat.state.lang)}`
          : null,
      );
    });
    const send = el(
      'button',
      { class: 'icon-btn send', type: 'submit', 'aria-label': this.t.send, title: this.t.send },
      icon(ICONS.send),
    );
    this.input.setAttribute('placeholder', this.t.placeholder);
    this.input.setAttribute('aria-label', this.t.placeholder);
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.composer.requestSubmit();
      }
    });
    this.input.addEventListener('input', () => {
      this.autosize();
      this.chat.typing(this.input.value.trim() !== '');
    });
    this.composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.chat.sendText(this.input.value);
      this.input.value = '';
      this.autosize();
      this.showError(null);
    });
    append(this.composer, attach, this.input, send, this.fileInput);
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  private showError(text: string | null): void {
    this.error.hidden = text === null;
    setText(this.error, text ?? '');
  }

  render(): void {
    const s = this.chat.state;
    const lang = s.lang;
    const c = s.config;
    this.panel.hidden = !s.open;
    this.wrap.classList.toggle('open', s.open);
    this.launcher.setAttribute('aria-label', s.open ? this.t.close : this.t.open);
    this.launcher.setAttribute('aria-expanded', String(s.open));
    this.chatIcon.style.display = s.open ? 'none' : '';
    this.closeIcon.style.display = s.open ? '' : 'none';
    this.badge.hidden = s.open || s.unread === 0;
    setText(this.badge, s.unread > 99 ? '99+' : String(s.unread));
    this.badge.setAttribute('aria-label', `${s.unread} ${this.t.unread}`);

    const title = c.title[lang] || c.name;
    setText(this.title, title);
    this.panel.setAttribute('aria-label', title);
    if (s.connected) this.everConnected = true;
    const reconnecting = this.everConnected && !s.connected;
    this.status.hidden = c.online === null && !reconnecting;
    this.dot.classList.toggle('on', c.online === true && !reconnecting);
    setText(this.statusText, reconnecting ? this.t.reconnecting : c.online ? this.t.online : this.t.offline);

    this.notice.hidden = c.online !== false;
    if (c.online === false) {
      const back = c.nextOpenAt ? ` ${this.t.backAt}: ${formatTime(c.nextOpenAt, lang, true)}.` : '';
      setText(this.notice, this.t.offlineNotice + back);
    }
    setText(this.welcome, c.welcome[lang] || this.t.welcome);

    this.prechat.hidden = !s.needsPrechat;
    this.body.hidden = s.needsPrechat;
    this.composer.hidden = s.needsPrechat;
    if (s.needsPrechat && this.prechat.childElementCount === 0) this.buildPrechat();

    this.typing.hidden = s.typing === undefined;
    setText(this.typing, s.typing ? `${s.typing} ${this.t.typing}` : this.t.someoneTyping);

    this.renderList();
  }

  private renderList(): void {
    const s = this.chat.state;
    const atBottom = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 40;
    const keep = new Set<string>();
    let prev: Node | null = null;
    const place = (key: string, sig: string, build: () => HTMLElement) => {
      keep.add(key);
      let entry = this.nodes.get(key);
      if (!entry || entry.sig !== sig) {
        const node = build();
        if (entry) entry.node.replaceWith(node);
        entry = { sig, node };
        this.nodes.set(key, entry);
      }
      const expected: ChildNode | null = prev ? prev.nextSibling : this.list.firstChild;
      if (expected !== entry.node) this.list.insertBefore(entry.node, expected);
      prev = entry.node;
    };
    // Quick replies are offered under the latest operator message that has them, until the visitor writes.
    const last = s.messages.at(-1);
    const offered =
      last?.direction === 'out' && last.buttons?.length && s.pending.length === 0 ? last.id : null;
    for (const m of s.messages) {
      const open = m.id === offered;
      place(`m:${m.id}`, `${m.updatedAt}:${m.status}:${open}`, () => this.messageNode(m, open));
    }
    for (const p of s.pending) {
      place(`p:${p.clientMessageId}`, `${p.state}:${p.error}`, () => this.pendingNode(p));
    }
    for (const [key, entry] of this.nodes) {
      if (!keep.has(key)) {
        entry.node.remove();
        this.nodes.delete(key);
      }
    }
    if (atBottom || s.pending.length > 0) this.body.scrollTop = this.body.scrollHeight;
  }

  private messageNode(m: VisitorMessage, offerButtons = false): HTMLElement {
    const lang = this.chat.state.lang;
    const bubble = el('div', { class: 'bubble' });
    if (m.text) append(bubble, linkified(m.text));
    for (const a of m.attachments) append(bubble, this.attachmentNode(a));
    if (!m.text && m.attachments.length === 0) append(bubble, `[${m.kind}]`);
    const author =
      m.direction === 'out' && m.authorName ? el('div', { class: 'author' }, m.authorName) : null;
    return el(
      'div',
      { class: `msg ${m.direction}` },
      author,
      bubble,
      offerButtons && m.buttons ? this.buttonsNode(m.buttons, m.buttonsStyle === 'rating') : null,
      el('div', { class: 'meta' }, formatTime(m.createdAt, lang)),
    );
  }

  /** Quick replies as buttons; the survey's 1–5 scale as five stars (the rating's number in each label). */
  private buttonsNode(buttons: { id: string; title: string }[], rating: boolean): HTMLElement {
    const row = el('div', { class: rating ? 'quick stars' : 'quick' });
    // Stars are laid out right to left (row-reverse) so hovering one lights it and the lower ones (CSS `~`).
    const ordered = rating
      ? buttons.map((b, i) => ({ b, n: i + 1 })).reverse()
      : buttons.map((b, i) => ({ b, n: i + 1 }));
    for (const { b, n } of ordered) {
      const label = rating ? `${n} ${this.t.rateStars}` : b.title;
      const btn = el(
        'button',
        { type: 'button', class: 'qr', 'aria-label': label, title: rating ? label : '', 'data-button': b.id },
        rating ? '★' : b.title,
      );
      btn.addEventListener('click', () => this.chat.sendButton(b));
      append(row, btn);
    }
    return row;
  }

  private pendingNode(p: PendingMessage): HTMLElement {
    const bubble = el('div', { class: 'bubble' });
    if (p.text) append(bubble, p.text);
    if (p.file) append(bubble, el('span', { class: 'file' }, `📎 ${p.file.name}`));
    const meta = el('div', { class: 'meta' });
    if (p.state === 'sending') append(meta, this.t.sending);
    else {
      const retry = el('button', { class: 'retry', type: 'button' }, p.error ?? this.t.failed);
      retry.addEventListener('click', () => void this.chat.deliver(p));
      append(meta, retry);
    }
    return el('div', { class: `msg in pending ${p.state}` }, bubble, meta);
  }

  private attachmentNode(a: VisitorAttachment): HTMLElement {
    const label = `📎 ${a.name ?? this.t.file}${a.size ? ` (${formatSize(a.size, this.chat.state.lang)})` : ''}`;
    if (!a.url) return el('span', { class: 'att file' }, label);
    if (/^https?:\/\//i.test(a.url)) {
      return el(
        'a',
        { class: 'att', href: a.url, target: '_blank', rel: 'noopener noreferrer nofollow ugc' },
        label,
      );
    }
    const path = a.url;
    if (a.kind === 'image') {
      const img = el('img', { alt: a.name ?? '', loading: 'lazy' });
      void this.blobUrl(a.id, path).then(
        (u) => {
          img.src = u;
        },
        () => {
          img.replaceWith(el('span', { class: 'file' }, label));
        },
      );
      const holder = el('button', { class: 'att file', type: 'button', title: label }, img);
      holder.addEventListener('click', () => void this.download(a, path));
      return holder;
    }
    const button = el('button', { class: 'att file', type: 'button' }, label);
    button.addEventListener('click', () => void this.download(a, path));
    return button;
  }

  private blobUrl(id: string, path: string): Promise<string> {
    let p = this.blobs.get(id);
    if (!p) {
      p = this.chat.api.file(path).then((b) => URL.createObjectURL(b));
      p.catch(() => this.blobs.delete(id));
      this.blobs.set(id, p);
    }
    return p;
  }

  /** Saved as a download (never opened as a page of the host site's origin). */
  private async download(a: VisitorAttachment, path: string): Promise<void> {
    try {
      const href = await this.blobUrl(a.id, path);
      const link = el('a', { href, download: a.name ?? 'file' });
      this.root.appendChild(link);
      link.click();
      link.remove();
    } catch {
      this.showError(this.t.error);
    }
  }

  private buildPrechat(): void {
    const f = this.chat.state.config.preChatForm;
    const p = this.chat.state.profile;
    const field = (key: 'name' | 'email' | 'phone', type: string, max: string) => {
      const mode = f[key];
      if (mode === 'off') return null;
      const input = el('input', {
        name: key,
        type,
        maxlength: max,
        autocomplete: key === 'phone' ? 'tel' : key,
      });
      if (mode === 'required') input.required = true;
      input.value = p[key] ?? '';
      return el(
        'label',
        {},
        el(
          'span',
          {},
          this.t[key],
          ' ',
          mode === 'optional' ? el('span', { class: 'opt' }, `(${this.t.optional})`) : null,
        ),
        input,
      );
    };
    const submit = el('button', { class: 'primary', type: 'submit' }, this.t.start);
    const problem = el('div', { class: 'error', role: 'alert', hidden: '' });
    append(
      this.prechat,
      el('div', {}, this.t.prechatIntro),
      field('name', 'text', '200'),
      field('email', 'email', '320'),
      field('phone', 'tel', '50'),
      problem,
      submit,
    );
    this.prechat.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(this.prechat);
      const value = (k: string) => {
        const v = data.get(k);
        return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
      };
      submit.disabled = true;
      this.chat
        .submitPrechat({ name: value('name'), email: value('email'), phone: value('phone') })
        .then(
          () => {
            problem.hidden = true;
            this.input.focus();
          },
          (err: Error) => {
            problem.hidden = false;
            setText(problem, err.message || this.t.error);
          },
        )
        .finally(() => {
          submit.disabled = false;
        });
    });
  }
}
