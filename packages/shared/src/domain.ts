export const ROLES = ['admin', 'supervisor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const AVAILABILITY = ['online', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITY)[number];

/** `bot`: a bot answers the customer until it (or the customer, a timeout, an operator) hands off to people. */
export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'bot'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CONTENT_KINDS = [
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'location',
  'contact',
  'template',
  'system',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const AUTHOR_KINDS = ['contact', 'user', 'bot', 'system'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];
