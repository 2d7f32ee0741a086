export * from './channel-health.ts';
export * from './channel-types.ts';
export * from './domain.ts';
export * from './error-codes.ts';
export * from './events.ts';
export * from './outbound-media.ts';
export * from './security.ts';
export * from './text.ts';
