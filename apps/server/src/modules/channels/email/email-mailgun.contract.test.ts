import { afterAll } from 'vitest';
import { SmtpRelay } from '../../../../test/smtp-relay.ts';
import { type AdapterFixtureKit, adapterContract } from '../adapter-contract.ts';
import {
  MAILGUN_KEY,
  PNG,
  SUPPORT,
  mailgunCall,
  mailgunMimeCall,
  mimeWithPdf,
} from './email-contract-kit.ts';

// The channel's SMTP login is tested before it is saved: a real SMTP server answers it.
const smtp = await new SmtpRelay(0, []).start();
afterAll(() => smtp.stop());

const kit: AdapterFixtureKit = {
  type: 'email',
  provider: null,
  settings: () => ({
    address: SUPPORT,
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
    inbound: 'mailgun',
    mailgunSigningKey: MAILGUN_KEY,
  }),
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) =>
        mailgunCall(k, {
          messageId: `m${n}@customer.test`,
          subject: 'Order 1042',
          text: 'Where is my order?',
        }),
    },
    {
      contentKind: 'image',
      text: 'the box',
      attachments: 1,
      build: (k, n) =>
        mailgunCall(k, {
          messageId: `m${n}@customer.test`,
          subject: 'Broken box',
          text: 'the box',
          attachment: { name: 'box.png', type: 'image/png', bytes: PNG },
        }),
    },
    {
      // The raw-MIME forward: the file, and the original MIME kept to download.
      contentKind: 'document',
      text: 'The invoice, attached.',
      attachments: 2,
      build: (k, n) => mailgunMimeCall(k, mimeWithPdf(n, k.now())),
    },
  ],
  forged: (k) =>
    mailgunCall(
      k,
      { messageId: 'forged@x', subject: 'hi', text: 'hi' },
      { key: 'key-another-signing-key-000' },
    ),
  tampered: null,
  receipts: null,
  errors: null,
};

adapterContract(kit);
