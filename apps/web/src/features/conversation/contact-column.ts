import { useMediaQuery } from '@mantine/hooks';
import { useStoredChoice } from '../../lib/stored-choice.ts';

/** Wide enough for the list, the conversation and the contact side by side (1400 px). */
export const CONTACT_COLUMN_QUERY = '(min-width: 87.5em)';

/**
 * Where the contact panel goes: a column beside the conversation on a wide screen (shown unless the
 * operator hid it), a drawer on demand elsewhere.
 */
export function useContactColumn(): { fits: boolean; shown: boolean; toggle(): void } {
  const fits = useMediaQuery(CONTACT_COLUMN_QUERY, false);
  const [choice, setChoice] = useStoredChoice(
    'switchboard.contactColumn',
    ['shown', 'hidden'] as const,
    'shown',
  );
  return {
    fits,
    shown: fits && choice === 'shown',
    toggle: () => setChoice(choice === 'shown' ? 'hidden' : 'shown'),
  };
}
