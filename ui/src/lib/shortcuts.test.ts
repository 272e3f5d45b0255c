import { describe, expect, it } from "vitest";
import { isEditable, isSearchShortcut } from "./shortcuts";

const input = (type = "text") => ({ tagName: "INPUT", type }) as unknown as EventTarget;
const button = { tagName: "BUTTON" } as unknown as EventTarget;
const key = (k: string, target: EventTarget | null = button, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, target, ...mods,
});

describe("search shortcut", () => {
  it("answers Ctrl+K and ⌘K everywhere, even while typing", () => {
    expect(isSearchShortcut(key("k", input(), { ctrlKey: true }))).toBe(true);
    expect(isSearchShortcut(key("K", button, { metaKey: true }))).toBe(true);
  });

  it("answers / only outside text fields, so a slash can still be typed", () => {
    expect(isSearchShortcut(key("/", button))).toBe(true);
    expect(isSearchShortcut(key("/", input()))).toBe(false);
    expect(isSearchShortcut(key("/", input("checkbox")))).toBe(true);
  });

  it("ignores other keys and AltGr combinations", () => {
    expect(isSearchShortcut(key("k"))).toBe(false);
    expect(isSearchShortcut(key("k", button, { ctrlKey: true, altKey: true }))).toBe(false);
  });
});

describe("isEditable", () => {
  it("recognises text inputs, text areas, selects and contenteditable", () => {
    expect(isEditable(input("email"))).toBe(true);
    expect(isEditable({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(isEditable({ tagName: "DIV", isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isEditable(button)).toBe(false);
    expect(isEditable(null)).toBe(false);
  });
});
