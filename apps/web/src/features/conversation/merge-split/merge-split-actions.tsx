import { Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { Conversation } from '../../../api/types.ts';
import { useI18n } from '../../../i18n/i18n.tsx';
import { MergeDialog } from './merge-dialog.tsx';
import { splitMode, useSplitSelection } from './split-selection.ts';

/** The conversation's "Merge with…" and "Split" actions. */
export function MergeSplitActions({ conv }: { conv: Conversation }) {
  const { t } = useI18n();
  const [opened, dialog] = useDisclosure(false);
  const splitting = useSplitSelection(conv.id) !== null;
  return (
    <>
      <Button size="xs" variant="default" onClick={dialog.open} data-testid="action-merge">
        {t('convMerge.open')}
      </Button>
      <Button
        size="xs"
        variant={splitting ? 'light' : 'default'}
        aria-pressed={splitting}
        onClick={() => (splitting ? splitMode.stop() : splitMode.start(conv.id))}
        data-testid="action-split"
      >
        {t('convSplit.open')}
      </Button>
      <MergeDialog conv={conv} opened={opened} onClose={dialog.close} />
    </>
  );
}
