import {
  ActionIcon,
  Button,
  FileButton,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { TEMPLATE_MAX_ATTACHMENTS, TEMPLATE_SCOPES, type Me } from '@switchboard/shared';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { Upload } from '../../api/types.ts';
import { useTeams } from '../../api/directory.ts';
import { PaperclipIcon } from '../../components/icons.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { uploadFile } from '../conversation/upload-file.ts';
import { TemplatePreview } from './template-preview.tsx';
import {
  attachFile,
  changeTemplate,
  createTemplate,
  detachFile,
  type TemplateDto,
  type TemplateScope,
} from './templates-api.ts';
import { VariablePicker } from './variable-picker.tsx';

interface FileRow {
  key: string;
  name: string;
  /** A file already on the template. */
  attachmentId?: string;
  /** A file picked in this form, uploaded, attached on save. */
  upload?: Upload;
}

/** Create or edit one template; its files are uploaded when picked and attached (or removed) on save. */
export function TemplateForm({
  me,
  template,
  onClose,
  onSaved,
}: {
  me: Me;
  template: TemplateDto | null;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const teams = useTeams();
  const supervises = me.role !== 'operator';
  const [name, setName] = useState(template?.name ?? '');
  const [shortcut, setShortcut] = useState(template ? `/${template.shortcut}` : '');
  const [text, setText] = useState(template?.text ?? '');
  const [scope, setScope] = useState<TemplateScope>(
    template?.scope ?? (supervises ? 'everyone' : 'personal'),
  );
  const [teamId, setTeamId] = useState<string | null>(template?.teamId ?? null);
  const [files, setFiles] = useState<FileRow[]>(
    (template?.attachments ?? []).map((a) => ({ key: a.id, name: a.fileName ?? a.id, attachmentId: a.id })),
  );
  const [uploading, setUploading] = useState(0);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  function insertVariable(v: string) {
    const el = area.current;
    const from = el?.selectionStart ?? text.length;
    const to = el?.selectionEnd ?? text.length;
    const piece = `{{${v}}}`;
    setText(text.slice(0, from) + piece + text.slice(to));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(from + piece.length, from + piece.length);
    });
  }

  function addFile(file: File | null) {
    if (!file) return;
    setUploadError(null);
    setUploading((n) => n + 1);
    uploadFile(file, () => {})
      .done.then(
        (upload) => setFiles((fs) => [...fs, { key: upload.id, name: upload.fileName ?? file.name, upload }]),
        setUploadError,
      )
      .finally(() => setUploading((n) => n - 1));
  }

  const save = useMutation({
    mutationFn: async () => {
      const body = { name, shortcut, text, scope, teamId: scope === 'team' ? teamId : null };
      const saved = template ? await changeTemplate(template.id, body) : await createTemplate(body);
      const kept = new Set(files.flatMap((f) => (f.attachmentId ? [f.attachmentId] : [])));
      for (const a of saved.attachments) if (!kept.has(a.id)) await detachFile(saved.id, a.id);
      for (const f of files) if (f.upload) await attachFile(saved.id, f.upload.id);
    },
    onSuccess: onSaved,
  });

  const scopes = TEMPLATE_SCOPES.filter((s) => supervises || s === 'personal');
  return (
    <Modal
      opened
      onClose={onClose}
      title={template ? t('tpl.edit') : t('tpl.new')}
      size="lg"
      data-testid="template-form"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput
              label={t('tpl.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
              maxLength={200}
              data-testid="template-name"
            />
            <TextInput
              label={t('tpl.shortcut')}
              description={t('tpl.shortcutHint')}
              value={shortcut}
              onChange={(e) => setShortcut(e.currentTarget.value)}
              required
              maxLength={33}
              data-testid="template-shortcut"
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label={t('tpl.scope')}
              data={scopes.map((s) => ({ value: s, label: t(`tpl.scope.${s}`) }))}
              value={scope}
              onChange={(v) => v && setScope(v as TemplateScope)}
              allowDeselect={false}
              data-testid="template-scope"
            />
            {scope === 'team' && (
              <Select
                label={t('tpl.team')}
                data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
                value={teamId}
                onChange={setTeamId}
                required
                data-testid="template-team"
              />
            )}
          </Group>
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {t('tpl.text')}
              </Text>
              <VariablePicker onPick={insertVariable} />
            </Group>
            <Textarea
              ref={area}
              aria-label={t('tpl.text')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={4}
              maxRows={12}
              required
              maxLength={10_000}
              data-testid="template-text"
            />
          </Stack>
          <TemplatePreview text={text} />
          <Stack gap={4} data-testid="template-files">
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {t('tpl.files')}
              </Text>
              <FileButton onChange={addFile}>
                {(props) => (
                  <Button
                    {...props}
                    variant="light"
                    size="xs"
                    disabled={files.length + uploading >= TEMPLATE_MAX_ATTACHMENTS}
                    loading={uploading > 0}
                    data-testid="template-add-file"
                  >
                    {t('tpl.addFile')}
                  </Button>
                )}
              </FileButton>
            </Group>
            {files.map((f) => (
              <Group key={f.key} gap="xs" data-testid="template-file">
                <PaperclipIcon size={14} />
                <Text size="sm">{f.name}</Text>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  aria-label={t('tpl.removeFile', { name: f.name })}
                  onClick={() => setFiles((fs) => fs.filter((x) => x.key !== f.key))}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Text size="xs" c="dimmed">
              {t('tpl.maxFiles', { count: TEMPLATE_MAX_ATTACHMENTS })}
            </Text>
            {uploadError !== null && <ErrorAlert error={uploadError} />}
          </Stack>
          {save.isError && <ErrorAlert error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('tpl.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={uploading > 0}
              data-testid="template-save"
            >
              {t('tpl.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
