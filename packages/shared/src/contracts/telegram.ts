import { z } from 'zod';

/** `POST /channels/{id}/telegram/webhook`: where Telegram now delivers, and the bot it answered as. */
export const telegramWebhookSchema = z.object({
  webhookUrl: z.string(),
  botId: z.number(),
  botUsername: z.string().nullable(),
});
export type TelegramWebhook = z.infer<typeof telegramWebhookSchema>;
