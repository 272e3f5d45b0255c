/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import tailwindcss from "@tailwindcss/vite";

// Tauri loads dist/ from disk (base './'); the dev server port is fixed because
// tauri.conf.json points devUrl at it.
export default defineConfig({
  base: "./",
  plugins: [tailwindcss(), svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: "127.0.0.1",
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK / WKWebView on the oldest supported desktops, WebView2 on Windows.
    target: ["safari15", "chrome105"],
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
  test: {
    include: ["src/**/*.test.ts", "dev/**/*.test.ts"],
    environment: "node",
  },
});
