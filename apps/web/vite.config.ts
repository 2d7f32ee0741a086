import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w apps/web` proxies the API to a server started with `npm start` (port 3000).
const api = process.env.SWITCHBOARD_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': api,
      '/webhooks': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
