import type { Config } from '@react-router/dev/config';

export default {
  appDirectory: 'app',
  // The public pages (catalog, search, product) render on the server and hydrate.
  ssr: true,
} satisfies Config;
