export * from './common.ts';
export * from './conversations.ts';
export * from './messages.ts';
export * from './contacts.ts';
export * from './users.ts';
export * from './broadcasts.ts';
export * from './csat.ts';
export * from './sla.ts';
