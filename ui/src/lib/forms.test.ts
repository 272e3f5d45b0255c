import { describe, expect, it } from "vitest";
import { formFailure } from "./forms";
import { IpcError } from "./ipc";

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
});
