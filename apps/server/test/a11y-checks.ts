import type { Page } from 'playwright-core';

/**
 * Transitions and animations end at once, so a colour or a focus ring is read in its final state
 * (a field's focus border fades in over 100 ms).
 */
async function settleStyles(page: Page): Promise<void> {
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation-duration: 0s !important; }',
  });
}

export interface ContrastFailure {
  text: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
  where: string;
}

/**
 * Text on the page whose contrast with what is behind it is under WCAG AA (4.5:1, or 3:1 for large
 * text: 24 px, or 18.66 px bold), measured from the rendered colours: the text's colour (with its and its
 * ancestors' opacity) over the composited backgrounds of its ancestors. Placeholders of empty fields
 * count as text. Disabled controls are exempt (WCAG 1.4.3), and so is text over an image or gradient,
 * which this cannot measure.
 */
export async function contrastFailures(page: Page): Promise<ContrastFailure[]> {
  await settleStyles(page);
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const g = canvas.getContext('2d', { willReadFrequently: true })!;
    type Rgba = [number, number, number, number];
    // Any CSS colour (rgb, color(srgb …), color-mix results) through the canvas, as sRGB bytes.
    const parse = (css: string): Rgba => {
      g.clearRect(0, 0, 1, 1);
      g.fillStyle = '#000';
      g.fillStyle = css;
      g.fillRect(0, 0, 1, 1);
      const d = g.getImageData(0, 0, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!, d[3]! / 255];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3];
      return [
        top[0] * a + below[0] * (1 - a),
        top[1] * a + below[1] * (1 - a),
        top[2] * a + below[2] * (1 - a),
        1,
      ];
    };
    const lum = (c: Rgba) =>
      [c[0], c[1], c[2]]
        .map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        })
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const ratio = (a: Rgba, b: Rgba) => {
      const [x, y] = [lum(a), lum(b)];
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    const hex = (c: Rgba) =>
      `#${c
        .slice(0, 3)
        .map((v) => Math.round(v).toString(16).padStart(2, '0'))
        .join('')}`;
    const disabled = (el: Element) =>
      !!el.closest(':disabled, [aria-disabled="true"], [data-disabled="true"], [data-disabled=""]');
    /** The composited background behind an element, or null where an image or gradient is behind it. */
    const backgroundOf = (el: Element): Rgba | null => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage !== 'none') return null;
        const c = parse(s.backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let bg: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) bg = over(layer, bg);
      return bg;
    };
    const opacityOf = (el: Element) => {
      let o = 1;
      for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const where = (el: Element) => {
      const id = el.closest('[data-testid]')?.getAttribute('data-testid');
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}${id ? ` in [data-testid=${id}]` : ''}`;
    };
    const out: {
      text: string;
      ratio: number;
      needed: number;
      color: string;
      background: string;
      where: string;
    }[] = [];
    const check = (el: Element, text: string, colorCss: string) => {
      if (disabled(el)) return;
      const bg = backgroundOf(el);
      if (!bg) return;
      const s = getComputedStyle(el);
      const c = parse(colorCss);
      const fg = over([c[0], c[1], c[2], c[3] * opacityOf(el)], bg);
      const size = Number.parseFloat(s.fontSize);
      const bold = Number(s.fontWeight) >= 700;
      const needed = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
      const r = ratio(fg, bg);
      // Rounded down to two places, as a checker reports it.
      if (Math.floor(r * 100) / 100 < needed)
        out.push({
          text: text.trim().slice(0, 60),
          ratio: Math.round(r * 100) / 100,
          needed,
          color: hex(fg),
          background: hex(bg),
          where: where(el),
        });
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim()) continue;
      if (el.closest('script, style, noscript, svg')) continue;
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const rect = el.getBoundingClientRect();
      // Visually hidden text (screen-reader only) is clipped to a pixel: nothing to see, nothing to measure.
      if (rect.width <= 1 || rect.height <= 1) continue;
      check(el, n.textContent, getComputedStyle(el).color);
    }
    for (const input of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      'input[placeholder], textarea[placeholder]',
    )) {
      if (input.value || !input.placeholder.trim() || !input.checkVisibility()) continue;
      check(input, `placeholder: ${input.placeholder}`, getComputedStyle(input, '::placeholder').color);
    }
    // One entry per distinct pair and text: a long list repeats the same row.
    const seen = new Set<string>();
    return out.filter((f) => {
      const k = `${f.text}|${f.color}|${f.background}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  });
}

export interface FocusReport {
  /** Controls Tab never reached. */
  unreachable: string[];
  /** Controls Tab reached without any visible change (no outline, ring, border or background change). */
  invisible: string[];
  /** How many controls the screen has and how many Tab presses went round. */
  controls: number;
  presses: number;
}

/**
 * Presses Tab through the whole page as a keyboard user does, from the top until focus comes back
 * round, and reports interactive controls Tab never reached and those that showed no visible focus:
 * no outline, and no change of ring, border or background on the control, its box or the drawn part
 * beside a hidden native input.
 * Members of a roving group (tabs, radios of one name, menu items, options) need one of them reached.
 */
export async function keyboardFocusReport(page: Page, maxPresses = 400): Promise<FocusReport> {
  await settleStyles(page);
  const controls = await page.evaluate(() => {
    const selector = [
      'a[href]',
      'button',
      'input:not([type=hidden])',
      'select',
      'textarea',
      '[tabindex]',
      '[role=button]',
      '[role=link]',
      '[role=switch]',
      '[role=checkbox]',
      '[role=tab]',
      '[role=radio]',
      '[role=combobox]',
    ].join(',');
    const els = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (el) =>
        el.checkVisibility({ visibilityProperty: true }) &&
        !el.closest('[aria-hidden=true], [inert]') &&
        !el.matches(':disabled, [aria-disabled=true]') &&
        // A native control hidden under its drawn look (Mantine's checkbox and switch) still takes focus.
        (el.getBoundingClientRect().width > 0 || el instanceof HTMLInputElement),
    );
    const styleOf = (el: Element | null) => {
      if (!el) return '';
      const s = getComputedStyle(el);
      return [
        s.outlineStyle,
        s.outlineWidth,
        s.outlineColor,
        s.boxShadow,
        s.borderColor,
        s.backgroundColor,
      ].join('|');
    };
    let groups = 0;
    return els.map((el, i) => {
      el.setAttribute('data-a11y-focus', String(i));
      const role = el.getAttribute('role');
      // A roving tab index gives a whole group one stop (tabs, a radio group, a segmented control).
      const container =
        role === 'tab' || role === 'radio' ? el.closest('[role=tablist], [role=radiogroup]') : null;
      if (container && !container.hasAttribute('data-a11y-group'))
        container.setAttribute('data-a11y-group', String(groups++));
      const group =
        el instanceof HTMLInputElement && el.type === 'radio'
          ? `radio:${el.name}`
          : container
            ? `group:${container.getAttribute('data-a11y-group')}`
            : // tabindex="-1" takes a control out of the Tab order on purpose (a widget's inner part).
              el.getAttribute('tabindex') === '-1'
              ? 'skip'
              : '';
      const label =
        el.getAttribute('aria-label') ||
        el.getAttribute('data-testid') ||
        // biome-ignore lint/performance/useDomNodeTextContent: what a person sees on the control
        el.innerText?.trim().slice(0, 40) ||
        el.getAttribute('placeholder') ||
        el.outerHTML.slice(0, 80);
      return {
        id: String(i),
        label,
        group,
        before: [
          styleOf(el),
          styleOf(el.parentElement),
          // A field inside a pills box (multi-select, tags) rings the box, two levels up.
          styleOf(el.parentElement?.parentElement ?? null),
          styleOf(el.nextElementSibling),
        ],
      };
    });
  });
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const reached = new Set<string>();
  const invisible = new Set<string>();
  let presses = 0;
  let first: string | null = null;
  for (; presses < maxPresses; presses++) {
    await page.keyboard.press('Tab');
    const now = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const styleOf = (e: Element | null) => {
        if (!e) return '';
        const s = getComputedStyle(e);
        return [
          s.outlineStyle,
          s.outlineWidth,
          s.outlineColor,
          s.boxShadow,
          s.borderColor,
          s.backgroundColor,
        ].join('|');
      };
      const s = getComputedStyle(el);
      const ring = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) > 0;
      return {
        id: el.getAttribute('data-a11y-focus'),
        ring,
        after: [
          styleOf(el),
          styleOf(el.parentElement),
          // A field inside a pills box (multi-select, tags) rings the box, two levels up.
          styleOf(el.parentElement?.parentElement ?? null),
          styleOf(el.nextElementSibling),
        ],
      };
    });
    if (!now?.id) continue;
    if (now.id === first) break;
    first ??= now.id;
    reached.add(now.id);
    const control = controls[Number(now.id)]!;
    if (!now.ring && now.after.every((a, i) => a === control.before[i])) invisible.add(now.id);
  }
  const groupsReached = new Set(controls.filter((c) => reached.has(c.id) && c.group).map((c) => c.group));
  const unreachable = controls
    .filter((c) => c.group !== 'skip' && !reached.has(c.id) && !(c.group && groupsReached.has(c.group)))
    .map((c) => c.label);
  return {
    unreachable,
    invisible: controls.filter((c) => invisible.has(c.id)).map((c) => c.label),
    controls: controls.length,
    presses,
  };
}
