/**
 * How this project starts Chromium: Debian's package (Playwright's own browser download cannot
 * work on machines without general internet access), headless, with its background connections
 * off (this network refuses them, many at a time). Used by the browser tests, the storefront
 * benchmark and the screenshot script.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The seeded image host does not exist here: fail its lookups at once.
  '--host-resolver-rules=MAP images.tackle.shop ~NOTFOUND',
];
