import { randomBytes } from 'node:crypto';
import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelAdapter, ChannelRuntime } from '../channel-adapter.ts';
import { GRAPH_VERSION, type GraphConn } from './graph-client.ts';

/** How one Meta messaging product names its account id and token, and where its Graph host is. */
export interface MetaChannelKind {
  product: GraphConn['product'];
  defaultApiBaseUrl: string;
  /** Settings key of the Page or Instagram account id. */
  idField: string;
  /** Credentials key of the access token (the form names it, so errors point at the right field). */
  tokenField: string;
}

/** The settings fields every Meta messaging channel shares (`metaCommonSettings`) plus its own id and token. */
export interface MetaSettingsInput {
  apiBaseUrl?: string;
  apiVersion?: string;
  appSecret?: string;
  verifyToken?: string;
  humanAgentTag?: boolean;
  [field: string]: unknown;
}

export function metaConn(channel: ChannelRuntime, kind: MetaChannelKind): GraphConn {
  return {
    baseUrl:
      typeof channel.settings.apiBaseUrl === 'string' ? channel.settings.apiBaseUrl : kind.defaultApiBaseUrl,
    version: typeof channel.settings.apiVersion === 'string' ? channel.settings.apiVersion : GRAPH_VERSION,
    token: channel.credentials[kind.tokenField] ?? '',
    product: kind.product,
  };
}

/**
 * Splits the admin's input into clear settings and sealed credentials. Secrets left empty on an edit keep
 * the stored ones, so an admin can change one field without retyping the token and the app secret.
 */
export function prepareMetaChannel(
  s: MetaSettingsInput,
  existing: ChannelRuntime | undefined,
  kind: MetaChannelKind,
): Awaited<ReturnType<ChannelAdapter['prepare']>> {
  const token = (s[kind.tokenField] as string | undefined) ?? existing?.credentials[kind.tokenField];
  const appSecret = s.appSecret ?? existing?.credentials.appSecret;
  if (!token) throw new DomainError('validation_error', `settings.${kind.tokenField}: required`);
  if (!appSecret)
    throw new DomainError('validation_error', 'settings.appSecret: required (it signs the webhooks)');
  const settings: Record<string, unknown> = { [kind.idField]: s[kind.idField] };
  if (s.apiBaseUrl) settings.apiBaseUrl = s.apiBaseUrl;
  if (s.apiVersion) settings.apiVersion = s.apiVersion;
  settings.humanAgentTag = s.humanAgentTag ?? existing?.settings.humanAgentTag === true;
  return {
    settings,
    credentials: {
      [kind.tokenField]: token,
      appSecret,
      verifyToken:
        s.verifyToken ?? existing?.credentials.verifyToken ?? randomBytes(24).toString('base64url'),
    },
  };
}
