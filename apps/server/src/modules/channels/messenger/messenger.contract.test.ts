import { json } from '../../../../test/channel-kit.ts';
import { adapterContract } from '../adapter-contract.ts';
import { metaContractKit } from '../meta/meta-contract-kit.ts';

const PAGE_ID = '682498302938465';

adapterContract(
  metaContractKit({
    type: 'messenger',
    accountId: PAGE_ID,
    appSecret: 'messenger-contract-app-secret',
    me: { id: PAGE_ID, name: 'Acme Page' },
    settings: { pageId: PAGE_ID, pageAccessToken: 'EAAB-contract-page-token' },
    media: [
      ['image', 'image'],
      ['video', 'video'],
      ['audio', 'audio'],
      ['file', 'document'],
      ['sticker', 'image'],
    ],
    receipts: 'messenger',
    final: {
      answer: json(400, {
        error: {
          message: "(#551) This person isn't available right now.",
          type: 'OAuthException',
          code: 551,
          error_subcode: 1545041,
          fbtrace_id: 'AbCdEfGhIjK',
        },
      }),
      code: 'customer_unavailable',
    },
    windowSubcode: 2018278,
  }),
);
