import sanitizeHtml from 'sanitize-html';

const MAX_HTML = 200_000;

/**
 * A mail's HTML made safe to show: formatting tags only, no scripts, styles, forms or event handlers,
 * links opened away from the console, and images only from the mail itself (`cid:`) — remote images
 * would tell the sender when and where the mail was read.
 */
export function sanitizeMailHtml(html: string | null | undefined): string | null {
  if (!html) return null;
  const clean = sanitizeHtml(html, {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'style'),
      'img',
      'span',
      'font',
      'center',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan', 'align'],
      th: ['colspan', 'rowspan', 'align'],
      '*': ['dir', 'lang'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['cid'] },
    allowProtocolRelative: false,
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
    },
  });
  return clean.length > MAX_HTML ? clean.slice(0, MAX_HTML) : clean;
}
