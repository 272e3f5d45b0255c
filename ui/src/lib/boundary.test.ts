import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// STYLE.md rule 4: screens talk to Rust only through ipc.ts, the one caller of the generated bindings.
const SRC = join(__dirname, "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

describe("IPC boundary", () => {
  it("lets only ipc.ts import the bindings or the Tauri API", () => {
    const offenders = files(SRC)
      .filter((f) => !f.endsWith(".test.ts"))
      .map((f) => relative(SRC, f))
      .filter((f) => f !== "lib/ipc.ts" && f !== "lib/bindings.ts")
      .filter((f) => /from\s+["'](?:[./]*bindings|@tauri-apps\/api[^"']*)["']/.test(readFileSync(join(SRC, f), "utf8")));
    expect(offenders, "call ipc.* instead, so errors and session loss are handled in one place").toEqual([]);
  });

  it("loads nothing from the network at run time", () => {
    const remote = files(SRC)
      .filter((f) => !f.endsWith(".test.ts"))
      .filter((f) => /(?:src|href|url)\s*[=(]\s*["']?https?:\/\//i.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(remote, "the app must look identical with the network off").toEqual([]);
  });
});
