// Browser-only preview: the same app, but `@tauri-apps/api/core` is replaced by an in-memory
// fake (dev/mock-tauri-core.ts). Production builds use vite.config.ts and never see dev/. The fake backend reads
// the real reference lists from ../seeds, and its mode ("preview-mock") lets ipc.ts take photos from it.
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
    // The dialog plugin imports @tauri-apps/api/core: served as is (not pre-bundled) so it gets the fake too.
    optimizeDeps: { exclude: ["@tauri-apps/plugin-dialog"] },
    mode: "preview-mock",
    server: {
      port: 1421,
      strictPort: true,
      fs: { allow: [".", "../seeds"] },
      // A production build (dist/) running beside the preview must not reload it.
      watch: { ignored: ["**/dist/**", "**/dist-preview-mock/**"] },
    },
    build: { outDir: "dist-preview-mock" },
  }),
);
