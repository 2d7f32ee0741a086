import { afterAll } from 'vitest';
import { SmtpRelay } from '../../../../test/smtp-relay.ts';
import { type AdapterFixtureKit, adapterContract } from '../adapter-contract.ts';
import { PNG, POSTMARK_PASSWORD, POSTMARK_USER, SUPPORT, postmarkCall } from './email-contract-kit.ts';

// The channel's SMTP login is tested before it is saved: a real SMTP server answers it.
const smtp = await new SmtpRelay(0, []).start();
afterAll(() => smtp.stop());

const kit: AdapterFixtureKit = {
  type: 'email',
  provider: null,
  settings: () => ({
    address: SUPPORT,
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
    inbound: 'postmark',
    postmarkUser: POSTMARK_USER,
    postmarkPassword: POSTMARK_PASSWORD,
  }),
  content: [
    {
      contentKind: 'text',
      text: 'Where is my order?',
      build: (k, n) =>
        postmarkCall(k, {
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
        postmarkCall(k, {
          messageId: `m${n}@customer.test`,
          subject: 'Broken box',
          text: 'the box',
          attachment: { name: 'box.png', type: 'image/png', bytes: PNG },
        }),
    },
  ],
  forged: (k) =>
    postmarkCall(k, { messageId: 'forged@x', subject: 'hi', text: 'hi' }, 'a-wrong-password-123'),
  tampered: null,
  receipts: null,
  errors: null,
};

adapterContract(kit);
