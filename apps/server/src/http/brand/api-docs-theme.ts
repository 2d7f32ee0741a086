import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const read = (name: string) => readFileSync(join(import.meta.dirname, name));

/**
 * The API reference page (/api/docs) under the product's name and mark instead of Swagger UI's: its
 * title, logo (top bar, linking to the console) and icon. Served from the plugin's own routes, so the
 * page's CSP (no inline script, images from our origin or data:) still holds.
 */
export const apiDocsBranding = {
  logo: { type: 'image/svg+xml', content: read('logo.svg'), href: '/', target: '_self' as const },
  theme: {
    title: 'Switchboard API',
    favicon: [
      {
        filename: 'switchboard.svg',
        rel: 'icon',
        type: 'image/svg+xml',
        sizes: 'any',
        content: read('icon.svg'),
      },
    ],
    css: [
      {
        filename: 'switchboard.css',
        content:
          '.swagger-ui .topbar { background-color: #1c2733; } .swagger-ui .topbar a { max-width: 260px; }',
      },
    ],
  },
};
