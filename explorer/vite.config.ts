import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * Writes `<file>.br` and `<file>.gz` beside every text asset of the build (1 KiB or more), which the
 * server sends as they are (src/indexer/static.ts, @fastify/static `preCompressed`): the best compression,
 * paid once at build time.
 */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "zhixin-precompress",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const walk = async (dir: string): Promise<string[]> =>
        (
          await Promise.all(
            (await readdir(dir, { withFileTypes: true })).map((e) =>
              e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
            ),
          )
        ).flat();
      for (const file of await walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt)$/.test(file) || (await stat(file)).size < 1024) continue;
        const body = await readFile(file);
        await writeFile(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        await writeFile(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

/** The explorer: a static single-page app that reads only the indexer's JSON API under `/api`. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react(), precompress()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The server preloads each landing page's own chunks (src/indexer/static.ts).
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      "/api": `http://127.0.0.1:${process.env.ZHIXIN_API_PORT ?? 8080}`,
    },
  },
});
