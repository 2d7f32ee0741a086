import '@mantine/core/styles.css';
import './styles.css';
import { MantineProvider, createTheme } from '@mantine/core';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/http.ts';
import { ME_KEY, signedOut } from './api/session.ts';
import { App } from './app.tsx';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { I18nProvider } from './i18n/i18n.tsx';

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      // Any 401 means the session is gone (expired, revoked, user deactivated): back to the login page.
      if (err instanceof ApiError && err.status === 401 && query.queryKey[0] !== ME_KEY[0])
        signedOut(queryClient);
    },
  }),
  defaultOptions: {
    queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 },
  },
});

const theme = createTheme({
  primaryColor: 'blue',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  defaultRadius: 'md',
  // WCAG AA: white text on shade 6 of most colours is under 4.5:1; shade 8 passes, and where a filled
  // colour is still light (yellow, orange) the text turns dark.
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <ErrorBoundary>
          <I18nProvider>
            <App />
          </I18nProvider>
        </ErrorBoundary>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
