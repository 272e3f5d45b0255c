import { describe, expect, it } from "vitest";
import { errorText, fieldErrorText, formFailure } from "./forms";
import { IpcError } from "./ipc";

const bridge = () => new IpcError({ code: "internal", message: "invoke failed: window.__TAURI_INTERNALS__ is undefined", fields: [], retryAfterSecs: null }, true);

describe("formFailure", () => {
  it("puts field messages next to their fields and leaves the form message empty", () => {
    const err = new IpcError({ code: "validation", message: "Un champ est à corriger.", fields: [{ field: "email", message: "Adresse e-mail invalide." }], retryAfterSecs: null });
    expect(formFailure(err, "Erreur inattendue.")).toEqual({ fields: { email: "Adresse e-mail invalide." }, message: null });
  });
  it("shows the backend's message when no field is named", () => {
    const err = new IpcError({ code: "forbidden", message: "Votre rôle ne permet pas cette action.", fields: [], retryAfterSecs: null });
    expect(formFailure(err, "Erreur inattendue.")).toEqual({ fields: {}, message: "Votre rôle ne permet pas cette action." });
  });
  it("never shows a raw JavaScript error", () => {
    const failure = formFailure(new TypeError("x is undefined"), "Erreur inattendue.");
    expect(failure.fields).toEqual({});
    expect(failure.message).toBe("Erreur inattendue.");
  });
  it("never shows the bridge's technical message", () => {
    expect(formFailure(bridge(), "Erreur inattendue."), "a failed invoke carries no translated text").toEqual({ fields: {}, message: "Erreur inattendue." });
  });
});

describe("errorText", () => {
  it("shows the backend's translated message", () => {
    const err = new IpcError({ code: "forbidden", message: "Votre rôle ne permet pas cette action.", fields: [], retryAfterSecs: null });
    expect(errorText(err, "Erreur inattendue.")).toBe("Votre rôle ne permet pas cette action.");
  });
  it("falls back to the translated text for bridge failures and JavaScript errors", () => {
    expect(errorText(bridge(), "Erreur inattendue."), "bridge text is technical English").toBe("Erreur inattendue.");
    expect(errorText(new TypeError("x is undefined"), "Erreur inattendue.")).toBe("Erreur inattendue.");
    expect(errorText("boom", "Erreur inattendue.")).toBe("Erreur inattendue.");
  });
});

describe("fieldErrorText", () => {
  it("prefers the message of the upload's own field, then the backend's message", () => {
    const err = new IpcError({ code: "validation", message: "Un champ est à corriger.", fields: [{ field: "gallery", message: "Trop de photos." }], retryAfterSecs: null });
    expect(fieldErrorText(err, ["photo", "gallery"], "Erreur inattendue.")).toBe("Trop de photos.");
    expect(fieldErrorText(err, ["logo"], "Erreur inattendue.")).toBe("Un champ est à corriger.");
    expect(fieldErrorText(bridge(), ["logo"], "Erreur inattendue."), "bridge text is technical English").toBe("Erreur inattendue.");
  });
});
