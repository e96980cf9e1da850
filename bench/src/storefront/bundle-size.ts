/**
 * What the browser downloads: the storefront's production build, read through React Router's
 * own manifest (the same one that writes the page's module preloads), each file gzipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

interface RouteAssets {
  module: string;
  imports?: string[];
  css?: string[];
}

export interface BundleFigures {
  /** JS of the first page (entry, root route, catalog route and everything they import). */
  firstPageJsGzipBytes: number;
  firstPageJsBytes: number;
  firstPageCssGzipBytes: number;
  firstPageFiles: { file: string; gzipBytes: number }[];
  /** Each route: its own chunk, and what it loads beyond the first page. */
  routes: { route: string; chunkGzipBytes: number; beyondFirstPageGzipBytes: number }[];
}

export async function measureBundle(storefrontDir: string): Promise<BundleFigures> {
  const build = (await import(
    pathToFileURL(path.join(storefrontDir, 'build/server/index.js')).href
  )) as { assets: { entry: RouteAssets; routes: Record<string, RouteAssets> } };
  const client = path.join(storefrontDir, 'build/client');
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const size = (file: string) => {
    let known = sizes.get(file);
    if (!known) {
      const bytes = readFileSync(path.join(client, file));
      known = { raw: bytes.length, gzip: gzipSync(bytes).length };
      sizes.set(file, known);
    }
    return known;
  };
  const filesOf = (assets: RouteAssets) => [assets.module, ...(assets.imports ?? [])];
  const { entry, routes } = build.assets;
  const first = new Set([
    ...filesOf(entry),
    ...filesOf(routes.root!),
    ...filesOf(routes['routes/catalog']!),
  ]);
  // The stylesheet is linked by the root route (`links`), not listed in the route manifest.
  const css = new Set(
    readdirSync(path.join(client, 'assets'))
      .filter((f) => f.endsWith('.css'))
      .map((f) => `/assets/${f}`),
  );
  const firstPageFiles = [...first]
    .map((file) => ({ file, gzipBytes: size(file).gzip }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  return {
    firstPageJsGzipBytes: firstPageFiles.reduce((sum, f) => sum + f.gzipBytes, 0),
    firstPageJsBytes: [...first].reduce((sum, f) => sum + size(f).raw, 0),
    firstPageCssGzipBytes: [...css].reduce((sum, f) => sum + size(f).gzip, 0),
    firstPageFiles,
    routes: Object.entries(routes)
      .filter(([id]) => id !== 'root')
      .map(([id, assets]) => ({
        route: id.replace(/^routes\//, ''),
        chunkGzipBytes: size(assets.module).gzip,
        beyondFirstPageGzipBytes: filesOf(assets)
          .filter((f) => !first.has(f))
          .reduce((sum, f) => sum + size(f).gzip, 0),
      }))
      .sort((a, b) => a.route.localeCompare(b.route)),
  };
}
