import { describe, expect, it } from "vitest";
import type { TalentDto } from "../ipc";
import {
  emptyState, firstSectionWithError, hasContent, parseDraft, parseWhole, sectionOfField, sectionsFor, serializeDraft,
  stateFromTalent, toInput, validateSection,
} from "./wizard";

function filled() {
  return {
    ...emptyState(),
    firstName: " Aïssatou ", lastName: "Ndiaye", gender: "F" as const, birthDate: "21/11/1990",
    originCountry: "SN", originCity: "DKR", residenceCountry: "SN", residenceCity: "VNL", residenceCityOther: " Ngor ",
    phone: "77 123 45 67", whatsappSame: true, whatsapp: "ignored", rateMin: "150 000", rateMax: "",
    socials: { instagram: " @aissatou ", x: "  " }, skills: ["singing"], heightCm: "172", eyeColor: "brown",
    productions: [{ title: "Atlantique", year: "2019", role: "Ada" }, { title: "", year: "", role: "" }], consent: true,
  };
}

describe("sections", () => {
  it("adds Casting for cinema, Consent only when registering, and hides personal data when not allowed", () => {
    expect(sectionsFor("general", "new")).toEqual(["identity", "places", "contact", "documents", "profile", "talents", "media", "consent", "summary"]);
    expect(sectionsFor("cinema", "edit")).toEqual(["identity", "places", "contact", "documents", "profile", "talents", "casting", "media", "summary"]);
    expect(sectionsFor("general", "edit", false)).not.toContain("contact");
  });

  it("sends the wizard to the first section holding a backend error", () => {
    const sections = sectionsFor("cinema", "new");
    expect(sectionOfField("residenceCityOther")).toBe("places");
    expect(firstSectionWithError(sections, { heightCm: "x", phone: "y" })).toBe("contact");
    expect(firstSectionWithError(sections, { somethingNew: "z" }), "an unknown field lands on the summary").toBe("summary");
    expect(firstSectionWithError(sections, {})).toBeNull();
  });
});

describe("checks when leaving a section", () => {
  it("requires the identity and places, with an explanation for a bad date", () => {
    expect(validateSection("identity", emptyState(), "general")).toEqual({ firstName: "required", lastName: "required", gender: "required", birthDate: "required" });
    expect(validateSection("identity", { ...filled(), birthDate: "31/02/1990" }, "general")).toEqual({ birthDate: "dateInvalid" });
    expect(validateSection("places", { ...emptyState(), originCountry: "SN" }, "general")).toEqual({ originCity: "required", residenceCountry: "required" });
    expect(validateSection("places", { ...filled(), residenceCityOther: " " }, "general")).toEqual({ residenceCityOther: "required" });
  });

  it("lets sections without required fields through, but not malformed numbers", () => {
    expect(validateSection("talents", emptyState(), "general")).toEqual({});
    expect(validateSection("profile", { ...emptyState(), rateMin: "12a" }, "general")).toEqual({ rateMin: "wholeNumber" });
    expect(validateSection("profile", { ...emptyState(), rateMin: "500", rateMax: "100" }, "general")).toEqual({ rateMax: "rateInverted" });
    expect(validateSection("casting", { ...emptyState(), productions: [{ title: "", year: "2001", role: "" }] }, "cinema")).toEqual({ productions: "required" });
  });

  it("requires consent only when registering", () => {
    expect(validateSection("consent", emptyState(), "general", "new")).toEqual({ consent: "consent" });
    expect(validateSection("consent", emptyState(), "general", "edit")).toEqual({});
  });

  it("reads whole numbers with the spaces people type", () => {
    expect(parseWhole("150 000")).toBe(150000);
    expect(parseWhole("")).toBeNull();
    expect(parseWhole("1,5")).toBeNaN();
  });
});

describe("TalentInput", () => {
  it("trims, converts the date and numbers, and follows the shortcuts", () => {
    const input = toInput(filled(), "cinema");
    expect(input).toMatchObject({
      kind: "cinema", firstName: "Aïssatou", birthDate: "1990-11-21", residenceCityOther: "Ngor", whatsapp: "77 123 45 67",
      rateMin: 150000, rateMax: null, socials: { instagram: "@aissatou" }, heightCm: 172, eyeColor: "brown",
      productions: [{ title: "Atlantique", year: 2019, role: "Ada" }], consent: true, confirmDuplicates: false,
    });
  });

  it("leaves out what does not belong to the kind", () => {
    const input = toInput({ ...filled(), residenceCity: "DKR", passportNumber: "A123" }, "general", true);
    expect(input).toMatchObject({ residenceCityOther: null, heightCm: null, eyeColor: null, productions: [], passportNumber: "A123", idDocumentType: null, confirmDuplicates: true });
  });

  it("round-trips a stored profile", () => {
    const dto = {
      id: "t1", kind: "general", code: "SNF0042DKR", codeProvisional: false, firstName: "Awa", lastName: "Diop", gender: "F",
      birthDate: "1990-11-21", age: 36, nationality: "SN", originCountry: "SN", originCity: "DKR", residenceCountry: "SN",
      residenceCity: "DKR", residenceCityOther: null,
      personal: { email: "awa@x.sn", phone: "+221771234567", whatsapp: "+221771234567", address: null, passportNumber: null, residenceCardNumber: null, idDocumentType: null, idDocumentNumber: null, idPhoto: null },
      bio: null, yearsExperience: 4, availability: "flexible", workMode: null, rateMin: 1000, rateMax: null, currency: "XOF",
      education: null, portfolioUrl: null, website: null, socials: { instagram: "@awa" }, languages: ["wolof"], skills: ["singing"],
      talentTypes: [], ethnicities: [], productions: [], eyeColor: null, hairColor: null, hairType: null, skinTone: null, build: null,
      heightCm: null, weightKg: null, photo: "abc", cv: null, cvKind: null, gallery: [], consentVersion: "v1", consentAt: "x",
      active: true, erased: false, createdAt: "", updatedAt: "", completeness: 50, missing: [],
    } satisfies TalentDto;
    const state = stateFromTalent(dto);
    expect(state).toMatchObject({ birthDate: "21/11/1990", whatsappSame: true, yearsExperience: "4", rateMin: "1000", consent: true, photo: "abc" });
    expect(toInput(state, "general")).toMatchObject({ birthDate: "1990-11-21", whatsapp: "+221771234567", email: "awa@x.sn", yearsExperience: 4 });
  });
});

describe("drafts", () => {
  it("round-trip with the date and the section", () => {
    const saved = serializeDraft("cinema", filled(), "casting", new Date("2026-11-21T10:00:00Z"));
    const draft = parseDraft(saved, "cinema");
    expect(draft).toEqual({ savedAt: "2026-11-21T10:00:00.000Z", step: "casting", state: filled() });
  });

  it("refuse garbage, another kind or another version", () => {
    expect(parseDraft(null, "general")).toBeNull();
    expect(parseDraft("{not json", "general")).toBeNull();
    expect(parseDraft(serializeDraft("cinema", filled(), "identity"), "general")).toBeNull();
    expect(parseDraft(JSON.stringify({ version: 99, kind: "general", state: {} }), "general")).toBeNull();
  });

  it("keep only well-typed fields from an older build", () => {
    const json = JSON.stringify({ version: 1, kind: "general", savedAt: "nope", step: "elsewhere", state: { firstName: 42, lastName: "Ba", gender: "Z", skills: ["a", 3], socials: [], unknown: true } });
    const draft = parseDraft(json, "general")!;
    expect(draft.state).toEqual({ ...emptyState(), lastName: "Ba", skills: ["a"] });
    expect(draft.step).toBe("identity");
    expect(draft.savedAt).toBe(new Date(0).toISOString());
  });

  it("are worth offering only when something was entered", () => {
    expect(hasContent(emptyState())).toBe(false);
    expect(hasContent({ ...emptyState(), firstName: "A" })).toBe(true);
  });
});
