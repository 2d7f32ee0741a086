import type { AccountEvent, Availability, ContactErasedPayload, NotificationDto } from '@switchboard/shared';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import {
  type ReactNode,
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { ME_KEY, signedOut } from '../api/session.ts';
import type { Contact, Conversation, Me, Message, User } from '../api/types.ts';
import type { InboxFilter } from '../features/inbox/inbox-filter.ts';
import { refreshContactLists } from '../features/contacts/contacts-api.ts';
import { applyInboxEvent, prepareConversation } from '../features/inbox/inbox-live.ts';
import { renameContact, upsertConversation, upsertMessage } from './cache-updates.ts';
import { LiveActivityStore } from './live-activity.ts';
import { type LiveStatus, LiveConnection } from './live-connection.ts';
import { notifyIfConcerned } from './notify.ts';
import { dropMovedMessage } from '../features/conversation/merge-split/moved-message.ts';
import { notifyDesktop } from '../features/notifications/desktop-notify.ts';
import {
  NOTIFICATIONS_KEY,
  applyNotificationCreated,
  applyNotificationsRead,
} from '../features/notifications/notifications-api.ts';

/** Writes a changed conversation into every cached list and its own entry. */
export function applyConversation(qc: QueryClient, incoming: Conversation, meId: string): void {
  const conv = prepareConversation(qc, incoming);
  for (const [key] of qc.getQueriesData({ queryKey: ['conversations'] })) {
    const filter = key[1] as InboxFilter;
    qc.setQueryData(key, (d: Parameters<typeof upsertConversation>[0]) =>
      upsertConversation(d, conv, filter, meId),
    );
  }
  qc.setQueryData<Conversation>(['conversation', conv.id], (old) =>
    old && old.updatedAt > conv.updatedAt ? old : conv,
  );
}

export function applyContact(qc: QueryClient, contact: Contact): void {
  qc.setQueryData(['contact', contact.id], contact);
  for (const [key] of qc.getQueriesData({ queryKey: ['conversations'] }))
    qc.setQueryData(key, (d: Parameters<typeof renameContact>[0]) => renameContact(d, contact));
  for (const [key, conv] of qc.getQueriesData<Conversation>({ queryKey: ['conversation'] }))
    if (conv && conv.contact.id === contact.id && conv.contact.name !== contact.name)
      qc.setQueryData(key, { ...conv, contact: { ...conv.contact, name: contact.name } });
}

export function applyMessage(qc: QueryClient, msg: Message): void {
  qc.setQueryData(['messages', msg.conversationId], (d: Parameters<typeof upsertMessage>[0]) =>
    upsertMessage(d, msg),
  );
}

let superviseTimer: ReturnType<typeof setTimeout> | undefined;

/** The supervisor screen's counts follow conversation changes, at most every two seconds. */
function refreshSupervisor(qc: QueryClient): void {
  if (superviseTimer) return;
  superviseTimer = setTimeout(() => {
    superviseTimer = undefined;
    void qc.invalidateQueries({ queryKey: ['supervisor'] });
  }, 2000);
}

function applyEvent(qc: QueryClient, e: AccountEvent, me: Me): void {
  applyInboxEvent(qc, e);
  switch (e.type) {
    case 'conversation.created':
    case 'conversation.updated':
      applyConversation(qc, e.payload as Conversation, me.user.id);
      refreshSupervisor(qc);
      break;
    case 'message.created':
      applyMessage(qc, e.payload as Message);
      notifyIfConcerned(qc, e.payload as Message, me);
      break;
    case 'message.updated':
      applyMessage(qc, e.payload as Message);
      dropMovedMessage(qc, e.payload as Message);
      break;
    case 'contact.created':
      refreshContactLists(qc);
      break;
    case 'contact.updated': {
      refreshContactLists(qc);
      const c = e.payload as Contact;
      if (typeof c?.id !== 'string' || !('name' in c)) break;
      applyContact(qc, c);
      break;
    }
    case 'contact.erased': {
      // Its conversations and messages are gone: every list, count and open view that may show them.
      const { contactId, conversationIds } = e.payload as ContactErasedPayload;
      for (const id of conversationIds) {
        void qc.invalidateQueries({ queryKey: ['conversation', id] });
        void qc.invalidateQueries({ queryKey: ['messages', id] });
      }
      void qc.invalidateQueries({ queryKey: ['contact', contactId] });
      void qc.invalidateQueries({ queryKey: ['conversations'] });
      void qc.invalidateQueries({ queryKey: ['conversation-counts'] });
      refreshContactLists(qc);
      break;
    }
    case 'presence.updated': {
      const p = e.payload as { userId: string; availability: Availability };
      qc.setQueryData<User[]>(['users'], (list) =>
        list?.map((u) => (u.id === p.userId ? { ...u, availability: p.availability } : u)),
      );
      if (p.userId === me.user.id)
        qc.setQueryData<Me | null>(ME_KEY, (m) => (m ? { ...m, availability: p.availability } : m));
      // A channel is online only while one of its operators is: the status screen follows at once.
      void qc.invalidateQueries({ queryKey: ['center-status'] });
      break;
    }
    case 'notification.created': {
      const n = e.payload as NotificationDto;
      applyNotificationCreated(qc, n);
      notifyDesktop(qc, n, me);
      break;
    }
    case 'notification.read':
      applyNotificationsRead(qc, e.payload as { ids: string[]; all: boolean; unreadCount: number });
      break;
    default:
      break;
  }
}

const StatusCtx = createContext<LiveStatus>('connecting');

export function useLiveStatus(): LiveStatus {
  return useContext(StatusCtx);
}

const ActivityCtx = createContext<LiveActivityStore | null>(null);

/**
 * Announces that this tab has the conversation open while the calling component is mounted, and
 * returns who else has it open and who is typing in it, live.
 */
export function useConversationActivity(conversationId: string) {
  const store = useContext(ActivityCtx);
  useEffect(() => {
    if (!store) return;
    store.open(conversationId);
    return () => store.close(conversationId);
  }, [store, conversationId]);
  const subscribe = store?.subscribe ?? noSubscribe;
  const viewers = useSyncExternalStore(subscribe, () => store?.viewersOf(conversationId) ?? NONE);
  const typing = useSyncExternalStore(subscribe, () => store?.typingIn(conversationId) ?? NONE);
  return { viewers, typing };
}

const NONE: never[] = [];
const noSubscribe = () => () => {};

/** Keeps one live connection for the signed-in user and feeds its events into the query cache. */
export function LiveProvider({ me, children }: { me: Me; children: ReactNode }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [activity] = useState(() => new LiveActivityStore());
  // The connection lives as long as the session; a changed presence or name must not reconnect it.
  const meRef = useRef(me);
  meRef.current = me;
  const sessionKey = `${me.account.id}:${me.user.id}`;
  useEffect(() => {
    void sessionKey;
    const conn = new LiveConnection({
      onEvent: (e) => applyEvent(qc, e, meRef.current),
      onStatus: setStatus,
      onFirstReady: () => {
        void qc.invalidateQueries({ queryKey: ['conversations'] });
        void qc.invalidateQueries({ queryKey: ['messages'] });
        void qc.invalidateQueries({ queryKey: ['conversation-counts'] });
        void qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
      },
      // Away longer than the replay horizon: what the missed events would have changed is unknown.
      onResync: () => void qc.invalidateQueries(),
      onUnauthorized: () => signedOut(qc),
      activity,
    });
    conn.start();
    return () => conn.stop();
  }, [qc, sessionKey, activity]);
  return (
    <StatusCtx.Provider value={status}>
      <ActivityCtx.Provider value={activity}>{children}</ActivityCtx.Provider>
    </StatusCtx.Provider>
  );
}
