import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type FormParams, twilioSignature, urlVariants, verifyTwilioSignature } from './twilio-signature.ts';

/** Published vectors (signature-vectors.md §1): auth token 12345 throughout. */
const TOKEN = '12345';
const URL1 = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const T1_PARAMS: FormParams = [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', '+12349013030'],
  ['Digits', '1234'],
  ['From', '+12349013030'],
  ['To', '+18005551212'],
];
const T2_PARAMS: FormParams = [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', '+14158675309'],
  ['Digits', '1234'],
  ['From', '+14158675309'],
  ['To', '+18005551212'],
];

describe('X-Twilio-Signature', () => {
  it('T1: the worked example from Twilio’s webhook security docs', () => {
    expect(twilioSignature(TOKEN, URL1, T1_PARAMS)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(verifyTwilioSignature(TOKEN, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', URL1, T1_PARAMS)).toBe(true);
  });

  it('signs parameters in name order whatever order they were posted in', () => {
    expect(twilioSignature(TOKEN, URL1, [...T1_PARAMS].reverse())).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it.each([
    ['T2', URL1, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='],
    ['T3 host case matters', 'https://MyCompany.com/myapp.php?foo=1&bar=2', 'g9IN/x4Cft2g517EjYvEvM/W7LU='],
    ['T4', 'https://MyCompany.com:1234/myapp.php?foo=1&bar=2', 'PCqOZm8cnu/L6+u5i5fuEd+Iac4='],
    ['T5', 'http://MyCompany.com/myapp.php?foo=1&bar=2', 'XY7AlKOKL6im4yWyX84gldUrtis='],
    ['T6', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', 'kvajT1Ptam85bY51eRf/AJRuM3w='],
    ['T7', 'http://mycompany.com:80/myapp.php?foo=1&bar=2', '0ZXoZLH/DfblKGATFgpif+LLRf4='],
    ['T8', 'http://mycompany.com:1234/myapp.php?foo=1&bar=2', 'Zmvh+3yNM1Phv2jhDCwEM3q5ebU='],
    ['T9', 'https://mycompany.com:1234/myapp.php?foo=1&bar=2', 'CYn1h0gLBdNxDGkKJg6hYohgeD8='],
    [
      'T10 credentials kept',
      'http://username:password@MyCompany.com/myapp.php?foo=1&bar=2',
      'PJ08CxXr7KLPjEQCTc8LkUSMwSM=',
    ],
  ])('%s', (_name, url, expected) => {
    expect(twilioSignature(TOKEN, url, T2_PARAMS)).toBe(expected);
    expect(verifyTwilioSignature(TOKEN, expected, url, T2_PARAMS)).toBe(true);
  });

  it('accepts a URL with or without the default port, whichever Twilio signed (T6, T7)', () => {
    // Twilio called https://mycompany.com:443/...; we know our URL without the port.
    expect(verifyTwilioSignature(TOKEN, 'kvajT1Ptam85bY51eRf/AJRuM3w=', URL1, T2_PARAMS)).toBe(true);
    // And the other way round.
    expect(
      verifyTwilioSignature(
        TOKEN,
        'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
        'https://mycompany.com:443/myapp.php?foo=1&bar=2',
        T2_PARAMS,
      ),
    ).toBe(true);
    expect(
      verifyTwilioSignature(
        TOKEN,
        '0ZXoZLH/DfblKGATFgpif+LLRf4=',
        'http://mycompany.com/myapp.php?foo=1&bar=2',
        T2_PARAMS,
      ),
    ).toBe(true);
    // A non-default port is never dropped.
    expect(urlVariants('https://mycompany.com:1234/x')).toEqual(['https://mycompany.com:1234/x']);
  });

  it('T11: a repeated parameter signs each distinct value once, sorted', () => {
    const params: FormParams = [
      ['Sid', 'CA123'],
      ['SidAccount', 'AC123'],
      ['Digits', '5678'],
      ['Digits', '1234'],
      ['Digits', '1234'],
    ];
    expect(twilioSignature(TOKEN, URL1, params)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('T12–T14: JSON bodies are signed through bodySHA256 in the URL', () => {
    const body = Buffer.from('{"property": "value", "boolean": true}');
    const hash = createHash('sha256').update(body).digest('hex');
    expect(hash).toBe('0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620');
    const t13 = `https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=${hash}`;
    const t14 = `https://mycompany.com/myapp.php?bodySHA256=${hash}`;
    expect(twilioSignature(TOKEN, t13)).toBe('a9nBmqA0ju/hNViExpshrM61xv4=');
    expect(twilioSignature(TOKEN, t14)).toBe('y77kIzt2vzLz71DgmJGsen2scGs=');
    expect(verifyTwilioSignature(TOKEN, 'a9nBmqA0ju/hNViExpshrM61xv4=', t13, [], body)).toBe(true);
    expect(verifyTwilioSignature(TOKEN, 'y77kIzt2vzLz71DgmJGsen2scGs=', t14, [], body)).toBe(true);
    // The URL's signature holds but the body was changed on the way.
    expect(
      verifyTwilioSignature(TOKEN, 'y77kIzt2vzLz71DgmJGsen2scGs=', t14, [], Buffer.from('{"property": 1}')),
    ).toBe(false);
  });

  it('rejects a wrong token, a changed parameter, a missing header and another URL', () => {
    const good = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
    expect(verifyTwilioSignature('54321', good, URL1, T1_PARAMS)).toBe(false);
    const changed: FormParams = T1_PARAMS.map(([n, v]) => [n, n === 'Digits' ? '9999' : v]);
    expect(verifyTwilioSignature(TOKEN, good, URL1, changed)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, undefined, URL1, T1_PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, '', URL1, T1_PARAMS)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, good, 'https://mycompany.com/myapp.php', T1_PARAMS)).toBe(false);
    expect(verifyTwilioSignature('', good, URL1, T1_PARAMS)).toBe(false);
  });
});
