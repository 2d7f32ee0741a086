import { useEffect } from 'react';
import type { Conversation } from '../../../api/types.ts';
import { openConversation } from './use-merge-split.ts';

/**
 * A merged-away conversation's address opens the one it went into: its read answers 301 (the browser
 * follows it, so another id comes back), and a live update of it carries `mergedIntoId`.
 */
export function useMergedRedirect(id: string, conv: Conversation | undefined): void {
  const target = conv ? (conv.id !== id ? conv.id : conv.mergedIntoId) : undefined;
  useEffect(() => {
    if (target) openConversation(id, target, true);
  }, [id, target]);
}
