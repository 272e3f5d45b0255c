// Browser-only preview: the same app, but `@tauri-apps/api/core` is replaced by an in-memory
// fake (dev/mock-tauri-core.ts). Production builds use vite.config.ts and never see dev/.
import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vite";
import base from "./vite.config.ts";

export default mergeConfig(
  base,
  defineConfig({
    resolve: {
      alias: {
        "@tauri-apps/api/core": fileURLToPath(new URL("./dev/mock-tauri-core.ts", import.meta.url)),
      },
    },
    server: { port: 1421, strictPort: true },
    build: { outDir: "dist-preview-mock" },
  }),
);
