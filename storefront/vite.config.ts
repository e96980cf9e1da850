import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [reactRouter()],
  build: {
    // Route chunks stay small; the benchmark reports each and the first page's total.
    chunkSizeWarningLimit: 300,
  },
});
