/** What conditions are tested against: one conversation as it is now, and the message that started it. */
export interface RuleFacts {
  message: { text: string; direction: 'in' | 'out' | 'note' } | null;
  channel: { id: string; type: string };
  contact: { labels: string[]; attributes: Record<string, unknown> };
  conversation: {
    status: string;
    priority: string;
    teamId: string | null;
    assigneeId: string | null;
    labels: string[];
    /** Custom conversation attributes by key. */
    attributes: Record<string, unknown>;
  };
  /** By the channel's schedule at evaluation time; true without a schedule. */
  businessHoursOpen: boolean;
}
