/**
 * The tracing preload, loaded before the service's own modules:
 *   node --import packages/tracing/dist/preload.js <app>/dist/main.js   (production build)
 *   tsx --import packages/tracing/src/preload.ts <app>/src/main.ts      (source)
 * (`tracingNodeArgs` gives the arguments.) Instrumentations patch a module only when it loads
 * after them; in an ES module program every static import is loaded before the first line of
 * main.ts runs, and a production bundle hoists its npm imports above its own code, so patching
 * from main.ts would come too late. The preload installs them and leaves the SDK for
 * startTracing (in main.ts), which knows the service's name. With TRACING_ENABLED off it does
 * nothing; launchers do not even pass it then.
 */
import { loadConfig } from '@shop/config';
import { tracingSettings } from './settings.ts';

let enabled = false;
try {
  enabled = loadConfig(tracingSettings).TRACING_ENABLED;
} catch {
  // A bad tracing setting: startTracing in main.ts reports it as the service's start error.
}
if (enabled) {
  const { installTracing } = await import('./sdk.ts');
  await installTracing();
}
