//! The registration wizard's model, independent of the screen: its sections per kind, the state it edits (also
//! what a draft stores), the client-side checks made when leaving a section (required fields and well-formed
//! numbers and dates: the backend stays the judge), where each backend field error belongs, and the TalentInput
//! sent at the end.
import { dayLabel } from "../dates";
import type { Gender, TalentDto, TalentInput, TalentKind } from "../ipc";
import { parseBirthDate } from "./dates";
import { UNLISTED_CITY } from "./reference";

export type SectionId =
  | "identity" | "places" | "contact" | "documents" | "profile" | "talents" | "casting" | "media" | "consent" | "summary";

export type WizardMode = "new" | "edit";

/** The sections of the wizard, in order. Contact and ID sections need the right to see personal data. */
export function sectionsFor(kind: TalentKind, mode: WizardMode, personal = true): SectionId[] {
  const all: SectionId[] = ["identity", "places", "contact", "documents", "profile", "talents"];
  if (kind === "cinema") all.push("casting");
  all.push("media");
  if (mode === "new") all.push("consent");
  all.push("summary");
  return personal ? all : all.filter((s) => s !== "contact" && s !== "documents");
}

export type ProductionRow = { title: string; year: string; role: string };

export type WizardState = {
  firstName: string;
  lastName: string;
  gender: Gender | null;
  /** As typed: JJ/MM/AAAA. */
  birthDate: string;
  nationality: string | null;
  originCountry: string | null;
  originCity: string | null;
  residenceCountry: string | null;
  residenceCity: string | null;
  residenceCityOther: string;
  email: string;
  phone: string;
  whatsapp: string;
  /** WhatsApp is the phone number. */
  whatsappSame: boolean;
  address: string;
  passportNumber: string;
  residenceCardNumber: string;
  idDocumentType: string | null;
  idDocumentNumber: string;
  idPhoto: string | null;
  bio: string;
  yearsExperience: string;
  availability: string | null;
  workMode: string | null;
  rateMin: string;
  rateMax: string;
  education: string;
  portfolioUrl: string;
  website: string;
  socials: Record<string, string>;
  skills: string[];
  languages: string[];
  talentTypes: string[];
  ethnicities: string[];
  eyeColor: string | null;
  hairColor: string | null;
  hairType: string | null;
  skinTone: string | null;
  build: string | null;
  heightCm: string;
  weightKg: string;
  gallery: string[];
  productions: ProductionRow[];
  photo: string | null;
  cv: string | null;
  /** The file name of the CV chosen in this session (the backend keeps only its type). */
  cvName: string | null;
  cvMime: string | null;
  consent: boolean;
};

export function emptyState(): WizardState {
  return {
    firstName: "", lastName: "", gender: null, birthDate: "", nationality: null, originCountry: null, originCity: null,
    residenceCountry: null, residenceCity: null, residenceCityOther: "", email: "", phone: "", whatsapp: "",
    whatsappSame: false, address: "", passportNumber: "", residenceCardNumber: "", idDocumentType: null,
    idDocumentNumber: "", idPhoto: null, bio: "", yearsExperience: "", availability: null, workMode: null, rateMin: "",
    rateMax: "", education: "", portfolioUrl: "", website: "", socials: {}, skills: [], languages: [], talentTypes: [],
    ethnicities: [], eyeColor: null, hairColor: null, hairType: null, skinTone: null, build: null, heightCm: "",
    weightKg: "", gallery: [], productions: [], photo: null, cv: null, cvName: null, cvMime: null, consent: false,
  };
}

/** The state of an existing profile, for editing. */
export function stateFromTalent(t: TalentDto): WizardState {
  const p = t.personal;
  const num = (n: number | null) => (n === null ? "" : String(n));
  const socials: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.socials)) if (v) socials[k] = v;
  return {
    ...emptyState(),
    firstName: t.firstName,
    lastName: t.lastName,
    gender: t.gender,
    birthDate: dayLabel(t.birthDate),
    nationality: t.nationality,
    originCountry: t.originCountry || null,
    originCity: t.originCity || null,
    residenceCountry: t.residenceCountry || null,
    residenceCity: t.residenceCity || null,
    residenceCityOther: t.residenceCityOther ?? "",
    email: p?.email ?? "",
    phone: p?.phone ?? "",
    whatsapp: p?.whatsapp ?? "",
    whatsappSame: !!p?.phone && p.whatsapp === p.phone,
    address: p?.address ?? "",
    passportNumber: p?.passportNumber ?? "",
    residenceCardNumber: p?.residenceCardNumber ?? "",
    idDocumentType: p?.idDocumentType ?? null,
    idDocumentNumber: p?.idDocumentNumber ?? "",
    idPhoto: p?.idPhoto ?? null,
    bio: t.bio ?? "",
    yearsExperience: num(t.yearsExperience),
    availability: t.availability,
    workMode: t.workMode,
    rateMin: num(t.rateMin),
    rateMax: num(t.rateMax),
    education: t.education ?? "",
    portfolioUrl: t.portfolioUrl ?? "",
    website: t.website ?? "",
    socials,
    skills: [...t.skills],
    languages: [...t.languages],
    talentTypes: [...t.talentTypes],
    ethnicities: [...t.ethnicities],
    eyeColor: t.eyeColor,
    hairColor: t.hairColor,
    hairType: t.hairType,
    skinTone: t.skinTone,
    build: t.build,
    heightCm: num(t.heightCm),
    weightKg: num(t.weightKg),
    gallery: [...t.gallery],
    productions: t.productions.map((c) => ({ title: c.title, year: c.year === null ? "" : String(c.year), role: c.role ?? "" })),
    photo: t.photo,
    cv: t.cv,
    cvName: null,
    cvMime: t.cvKind,
    consent: t.consentVersion !== null,
  };
}

/** A whole number typed in a field: null when empty, NaN when not a whole number ≥ 0. */
export function parseWhole(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, "");
  if (!t) return null;
  return /^\d{1,9}$/.test(t) ? Number(t) : Number.NaN;
}

const text = (s: string) => (s.trim() ? s.trim() : null);
const whole = (s: string) => {
  const n = parseWhole(s);
  return n === null || Number.isNaN(n) ? null : n;
};

/** What is sent to registerTalent / updateTalent. */
export function toInput(s: WizardState, kind: TalentKind, confirmDuplicates = false): TalentInput {
  const cinema = kind === "cinema";
  const birth = parseBirthDate(s.birthDate);
  const socials: Partial<Record<string, string>> = {};
  for (const [k, v] of Object.entries(s.socials)) if (v.trim()) socials[k] = v.trim();
  return {
    kind,
    firstName: s.firstName.trim(),
    lastName: s.lastName.trim(),
    gender: s.gender,
    birthDate: birth.ok ? birth.iso : s.birthDate.trim(),
    nationality: s.nationality,
    originCountry: s.originCountry ?? "",
    originCity: s.originCity ?? "",
    residenceCountry: s.residenceCountry ?? "",
    residenceCity: s.residenceCity ?? "",
    residenceCityOther: s.residenceCity === UNLISTED_CITY ? text(s.residenceCityOther) : null,
    email: text(s.email),
    phone: text(s.phone),
    whatsapp: s.whatsappSame ? text(s.phone) : text(s.whatsapp),
    address: text(s.address),
    passportNumber: cinema ? null : text(s.passportNumber),
    residenceCardNumber: cinema ? null : text(s.residenceCardNumber),
    idDocumentType: cinema ? s.idDocumentType : null,
    idDocumentNumber: cinema ? text(s.idDocumentNumber) : null,
    bio: text(s.bio),
    yearsExperience: whole(s.yearsExperience),
    availability: s.availability,
    workMode: s.workMode,
    rateMin: whole(s.rateMin),
    rateMax: whole(s.rateMax),
    education: text(s.education),
    portfolioUrl: text(s.portfolioUrl),
    website: text(s.website),
    socials,
    languages: [...s.languages],
    skills: [...s.skills],
    talentTypes: cinema ? [...s.talentTypes] : [],
    ethnicities: cinema ? s.ethnicities.map((e) => e.trim()).filter(Boolean) : [],
    productions: cinema
      ? s.productions
          .filter((p) => p.title.trim() || p.year.trim() || p.role.trim())
          .map((p) => ({ title: p.title.trim(), year: whole(p.year), role: text(p.role) }))
      : [],
    eyeColor: cinema ? s.eyeColor : null,
    hairColor: cinema ? s.hairColor : null,
    hairType: cinema ? s.hairType : null,
    skinTone: cinema ? s.skinTone : null,
    build: cinema ? s.build : null,
    heightCm: cinema ? whole(s.heightCm) : null,
    weightKg: cinema ? whole(s.weightKg) : null,
    photo: s.photo,
    idPhoto: cinema ? s.idPhoto : null,
    cv: s.cv,
    gallery: cinema ? [...s.gallery] : [],
    consent: s.consent,
    confirmDuplicates,
  };
}

/** Where each backend field name is edited. */
const FIELD_SECTION: Record<string, SectionId> = {
  kind: "identity", firstName: "identity", lastName: "identity", gender: "identity", birthDate: "identity",
  nationality: "identity",
  originCountry: "places", originCity: "places", residenceCountry: "places", residenceCity: "places",
  residenceCityOther: "places",
  email: "contact", phone: "contact", whatsapp: "contact", address: "contact",
  passportNumber: "documents", residenceCardNumber: "documents", idDocumentType: "documents",
  idDocumentNumber: "documents", idPhoto: "documents",
  bio: "profile", yearsExperience: "profile", availability: "profile", workMode: "profile", rateMin: "profile",
  rateMax: "profile", education: "profile", portfolioUrl: "profile", website: "profile", socials: "profile",
  languages: "talents", skills: "talents",
  talentTypes: "casting", ethnicities: "casting", productions: "casting", eyeColor: "casting", hairColor: "casting",
  hairType: "casting", skinTone: "casting", build: "casting", heightCm: "casting", weightKg: "casting",
  gallery: "casting",
  photo: "media", cv: "media",
  consent: "consent",
};

export function sectionOfField(field: string): SectionId {
  return FIELD_SECTION[field] ?? "summary";
}

/** The first section, in wizard order, holding one of these errors. */
export function firstSectionWithError(sections: readonly SectionId[], errors: Record<string, string>): SectionId | null {
  const withErrors = new Set(Object.keys(errors).map(sectionOfField));
  return sections.find((s) => withErrors.has(s)) ?? (Object.keys(errors).length ? (sections[sections.length - 1] ?? null) : null);
}

/** Client-side problems as catalogue keys under `talents.errors`. */
export type ClientProblem = "required" | "dateIncomplete" | "dateInvalid" | "dateFuture" | "dateTooOld" | "wholeNumber" | "rateInverted" | "consent";

/** Checks made when leaving a section: field name → problem. */
export function validateSection(section: SectionId, s: WizardState, kind: TalentKind, mode: WizardMode = "new"): Record<string, ClientProblem> {
  const errors: Record<string, ClientProblem> = {};
  const required = (field: keyof WizardState, value: unknown) => {
    if (value === null || (typeof value === "string" && !value.trim())) errors[field] = "required";
  };
  const number = (field: string, value: string) => {
    if (Number.isNaN(parseWhole(value))) errors[field] = "wholeNumber";
  };
  switch (section) {
    case "identity": {
      required("firstName", s.firstName);
      required("lastName", s.lastName);
      required("gender", s.gender);
      const birth = parseBirthDate(s.birthDate);
      if (!birth.ok) {
        errors.birthDate = ({ required: "required", incomplete: "dateIncomplete", invalid: "dateInvalid", future: "dateFuture", tooOld: "dateTooOld" } as const)[birth.problem];
      }
      break;
    }
    case "places":
      required("originCountry", s.originCountry);
      if (s.originCountry) required("originCity", s.originCity);
      required("residenceCountry", s.residenceCountry);
      if (s.residenceCountry) required("residenceCity", s.residenceCity);
      if (s.residenceCity === UNLISTED_CITY) required("residenceCityOther", s.residenceCityOther);
      break;
    case "profile": {
      number("yearsExperience", s.yearsExperience);
      number("rateMin", s.rateMin);
      number("rateMax", s.rateMax);
      const [min, max] = [parseWhole(s.rateMin), parseWhole(s.rateMax)];
      if (!errors.rateMin && !errors.rateMax && min !== null && max !== null && min > max) errors.rateMax = "rateInverted";
      break;
    }
    case "casting":
      if (kind === "cinema") {
        number("heightCm", s.heightCm);
        number("weightKg", s.weightKg);
        if (s.productions.some((p) => (p.year.trim() || p.role.trim()) && !p.title.trim())) errors.productions = "required";
        else if (s.productions.some((p) => Number.isNaN(parseWhole(p.year)))) errors.productions = "wholeNumber";
      }
      break;
    case "consent":
      if (mode === "new" && !s.consent) errors.consent = "consent";
      break;
    default:
      break;
  }
  return errors;
}

// ---------------------------------------------------------------- drafts

export const DRAFT_VERSION = 1;

export type Draft = { savedAt: string; step: SectionId; state: WizardState };

/** The JSON kept by saveDraft: the state, where the person was, and when. */
export function serializeDraft(kind: TalentKind, state: WizardState, step: SectionId, savedAt: Date = new Date()): string {
  return JSON.stringify({ version: DRAFT_VERSION, kind, savedAt: savedAt.toISOString(), step, state });
}

const SECTION_IDS: readonly SectionId[] = ["identity", "places", "contact", "documents", "profile", "talents", "casting", "media", "consent", "summary"];

/**
 * A draft read back, or null when it is unreadable, of another version or kind. Fields are taken only when they
 * have the expected type, so a draft from an older build never breaks the wizard.
 */
export function parseDraft(json: string | null, kind: TalentKind): Draft | null {
  if (!json) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== "object") return null;
  const d = raw as { version?: unknown; kind?: unknown; savedAt?: unknown; step?: unknown; state?: unknown };
  if (d.version !== DRAFT_VERSION || d.kind !== kind || !d.state || typeof d.state !== "object") return null;
  const base = emptyState();
  const given = d.state as Record<string, unknown>;
  const state = { ...base } as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(base)) {
    const value = given[key];
    if (value === undefined) continue;
    const ok =
      fallback === null
        ? value === null || typeof value === "string"
        : Array.isArray(fallback)
          ? Array.isArray(value)
          : typeof fallback === typeof value && (typeof value !== "object" || (value !== null && !Array.isArray(value)));
    if (ok) state[key] = value;
  }
  const wizard = state as WizardState;
  wizard.skills = wizard.skills.filter((x) => typeof x === "string");
  wizard.languages = wizard.languages.filter((x) => typeof x === "string");
  wizard.talentTypes = wizard.talentTypes.filter((x) => typeof x === "string");
  wizard.ethnicities = wizard.ethnicities.filter((x) => typeof x === "string");
  wizard.gallery = wizard.gallery.filter((x) => typeof x === "string");
  wizard.productions = wizard.productions
    .filter((p): p is ProductionRow => !!p && typeof p === "object")
    .map((p) => ({ title: String(p.title ?? ""), year: String(p.year ?? ""), role: String(p.role ?? "") }));
  if (wizard.gender !== null && !["M", "F", "N"].includes(wizard.gender)) wizard.gender = null;
  const savedAt = typeof d.savedAt === "string" && !Number.isNaN(Date.parse(d.savedAt)) ? d.savedAt : new Date(0).toISOString();
  const step = SECTION_IDS.includes(d.step as SectionId) ? (d.step as SectionId) : "identity";
  return { savedAt, step, state: wizard };
}

/** Whether a state holds anything worth keeping as a draft. */
export function hasContent(state: WizardState): boolean {
  return JSON.stringify(state) !== JSON.stringify(emptyState());
}
