import { displayText } from '@switchboard/shared/text';

type Child = Node | string | null | undefined | false;

/**
 * The only way the widget builds DOM: strings always become text nodes, never markup, so customer and
 * operator text cannot inject anything into the host page; and every string passes `displayText`, so a
 * direction override cannot make "Invoice\u202Egpj.exe" look like a picture.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, displayText(v));
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(displayText(c)) : c);
  }
}

export function setText(node: Node, text: string): void {
  const shown = displayText(text);
  if (node.textContent !== shown) node.textContent = shown;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 24×24 icon from static path data. */
export function icon(...paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

export const ICONS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z',
  close: 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z',
  send: 'M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z',
  attach:
    'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z',
};

/** Text with http(s) links made clickable; everything else stays text. */
export function linkified(text: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const re = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;
  let at = 0;
  for (const m of text.matchAll(re)) {
    const i = m.index ?? 0;
    append(frag, text.slice(at, i));
    append(frag, el('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer nofollow ugc' }, m[0]));
    at = i + m[0].length;
  }
  append(frag, text.slice(at));
  return frag;
}

/** Black or white, whichever reads better on the brand colour. */
export function onColor(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return lum > 0.45 ? '#111827' : '#ffffff';
}
