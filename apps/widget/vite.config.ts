import { defineConfig } from 'vite';

// One self-contained classic script (IIFE): sites load it with a plain <script async> tag, and it must
// not depend on anything the host page has or lacks.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    lib: {
      entry: 'src/main.ts',
      name: 'SwitchboardWidget',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
