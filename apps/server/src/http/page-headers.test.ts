import { describe, expect, it } from 'vitest';
import { consoleBuilt } from '../../test/console-harness.ts';
import { useBareApp } from '../../test/bare-app.ts';
import { CONSOLE_CSP } from './console.routes.ts';

/** The directives that keep customer-controlled URLs out of the operator's browser. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('page security headers', () => {
  const t = useBareApp();

  it('the console CSP loads images and media only from our origin', () => {
    const d = directives(CONSOLE_CSP);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('media-src')).toEqual(["'self'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONSOLE_CSP).not.toMatch(/https?:/);
  });

  it.skipIf(!consoleBuilt())('the console HTML is sent with it and may not be framed', async () => {
    for (const url of ['/', '/conversations/abc']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('/api/docs sends the console’s CSP and framing headers on its page and its files', async () => {
    for (const url of ['/api/docs', '/api/docs/static/swagger-initializer.js', '/api/docs/json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(400);
      expect(res.headers['content-security-policy'], url).toBe(CONSOLE_CSP);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
    }
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.headers['content-type']).toMatch(/text\/html/);
    // Scripts come from files (script-src 'self' allows no inline script).
    expect(page.body).toContain('<script src=');
    expect(page.body).not.toMatch(/<script>[^<]/);
  });

  it('/api/docs carries the product name, logo and icon, not the framework’s', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.body).toContain('<title>Switchboard API</title>');
    expect(page.body).not.toContain('Swagger UI');
    expect(page.body).toContain('/api/docs/static/theme/switchboard.svg');
    expect(page.body).not.toContain('favicon-32x32.png');
    const icon = await t.app.inject({ method: 'GET', url: '/api/docs/static/theme/switchboard.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    expect(icon.body).toContain('<svg');
    const init = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(init.body);
    expect(logo).not.toBeNull();
    expect(Buffer.from(logo![1]!, 'base64').toString()).toContain('Switchboard');
  });
});
