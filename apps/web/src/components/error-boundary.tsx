import { Alert, Button, Center, Stack, Text } from '@mantine/core';
import { Component, type ReactNode } from 'react';
import { translate } from '../i18n/i18n.tsx';

interface State {
  error: Error | null;
}

/** A rendering bug shows a way out (reload) instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    console.error('console crashed', error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    // Outside the i18n provider on purpose (it may be what failed): read the language directly.
    const lang = document.documentElement.lang === 'ru' ? 'ru' : 'en';
    return (
      <Center h="100%" p="md">
        <Stack maw={480}>
          <Alert color="red" role="alert">
            <Text size="sm">{translate(lang, 'error.crashed')}</Text>
            <Text size="xs" c="dimmed" className="sb-text">
              {this.state.error.message}
            </Text>
          </Alert>
          <Button onClick={() => window.location.reload()}>{translate(lang, 'error.reload')}</Button>
        </Stack>
      </Center>
    );
  }
}
