//! The talent list's filters: what the filter panel edits, the TalentQuery sent for a page, and the active
//! filters shown as removable chips. Changing a filter also clears what depended on it (a city when its
//! country changes, a talent outside the chosen category, cinema traits when "general" is chosen).
import type { Gender, TalentKind, TalentQuery, TalentSort } from "../ipc";

export type Filters = {
  kind: TalentKind | null;
  /** `tag:category_key`. */
  category: string | null;
  /** `tag:key`. */
  skill: string | null;
  talentType: string | null;
  originCountry: string | null;
  originCity: string | null;
  residenceCountry: string | null;
  residenceCity: string | null;
  gender: Gender | null;
  /** As typed; whole years 0–120 count. */
  ageMin: string;
  ageMax: string;
  languages: string[];
  availability: string | null;
  eyeColor: string | null;
  hairColor: string | null;
  hairType: string | null;
  skinTone: string | null;
  build: string | null;
  hasPhoto: boolean | null;
  hasCv: boolean | null;
  includeInactive: boolean;
};

export const TRAIT_FILTERS = ["eyeColor", "hairColor", "hairType", "skinTone", "build"] as const;
export type TraitFilter = (typeof TRAIT_FILTERS)[number];
/** The reference list behind each trait filter. */
export const TRAIT_LIST: Record<TraitFilter, string> = {
  eyeColor: "eye_color",
  hairColor: "hair_color",
  hairType: "hair_type",
  skinTone: "skin_tone",
  build: "build",
};

export function emptyFilters(): Filters {
  return {
    kind: null, category: null, skill: null, talentType: null, originCountry: null, originCity: null,
    residenceCountry: null, residenceCity: null, gender: null, ageMin: "", ageMax: "", languages: [],
    availability: null, eyeColor: null, hairColor: null, hairType: null, skinTone: null, build: null,
    hasPhoto: null, hasCv: null, includeInactive: false,
  };
}

/** A typed age, or null when empty or not a whole number of years between 0 and 120. */
export function parseAge(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= 120 ? n : null;
}

const tagOf = (value: string | null) => (value ? value.split(":")[0] : null);

/**
 * Sets one filter and clears what no longer fits. `skillCategory` tells which category (`tag:key`) a skill
 * (`tag:key`) belongs to.
 */
export function setFilter<K extends keyof Filters>(
  filters: Filters,
  key: K,
  value: Filters[K],
  skillCategory: (skill: string) => string | null = () => null,
): Filters {
  const next: Filters = { ...filters, [key]: value };
  if (key === "originCountry" && value !== filters.originCountry) next.originCity = null;
  if (key === "residenceCountry" && value !== filters.residenceCountry) next.residenceCity = null;
  if (key === "category" && next.skill && value && skillCategory(next.skill) !== value) next.skill = null;
  if (key === "skill" && value) {
    const category = skillCategory(value as string);
    if (category) next.category = category;
  }
  if (key === "kind" && value) {
    if (tagOf(next.category) && tagOf(next.category) !== value) next.category = null;
    if (tagOf(next.skill) && tagOf(next.skill) !== value) next.skill = null;
    if (value === "general") {
      next.talentType = null;
      for (const t of TRAIT_FILTERS) next[t] = null;
    }
  }
  return next;
}

const blank = (s: string | null) => (s && s.trim() ? s : null);

export function buildQuery(
  text: string,
  filters: Filters,
  sort: TalentSort,
  offset: number,
  limit: number,
): TalentQuery {
  const f = filters;
  return {
    text: blank(text.trim()),
    kind: f.kind,
    category: blank(f.category),
    skill: blank(f.skill),
    talentType: blank(f.talentType),
    originCountry: blank(f.originCountry),
    originCity: f.originCountry ? blank(f.originCity) : null,
    residenceCountry: blank(f.residenceCountry),
    residenceCity: f.residenceCountry ? blank(f.residenceCity) : null,
    gender: f.gender,
    ageMin: parseAge(f.ageMin),
    ageMax: parseAge(f.ageMax),
    languages: [...f.languages],
    availability: blank(f.availability),
    eyeColor: blank(f.eyeColor),
    hairColor: blank(f.hairColor),
    hairType: blank(f.hairType),
    skinTone: blank(f.skinTone),
    build: blank(f.build),
    hasPhoto: f.hasPhoto,
    hasCv: f.hasCv,
    includeInactive: f.includeInactive,
    sort,
    offset,
    limit: Math.min(500, Math.max(1, limit)),
  };
}

/** One removable chip. `remove` gives the filters without it. */
export type Chip = { id: string; kind: ChipKind; value: string; remove: (f: Filters) => Filters };
export type ChipKind =
  | "kind" | "category" | "skill" | "talentType" | "originCountry" | "originCity" | "residenceCountry"
  | "residenceCity" | "gender" | "age" | "language" | "availability" | TraitFilter | "hasPhoto" | "hasCv"
  | "includeInactive";

/** The active filters, in the panel's order, as chips (labels are made by the screen from kind and value). */
export function chipsOf(filters: Filters): Chip[] {
  const f = filters;
  const chips: Chip[] = [];
  const single = (kind: ChipKind, key: keyof Filters, value: string | null, reset: Partial<Filters> = {}) => {
    if (value) chips.push({ id: `${kind}:${value}`, kind, value, remove: (x) => ({ ...x, [key]: null, ...reset }) });
  };
  single("kind", "kind", f.kind);
  single("category", "category", f.category, { skill: null });
  single("skill", "skill", f.skill);
  single("talentType", "talentType", f.talentType);
  single("originCountry", "originCountry", f.originCountry, { originCity: null });
  if (f.originCountry) single("originCity", "originCity", f.originCity);
  single("residenceCountry", "residenceCountry", f.residenceCountry, { residenceCity: null });
  if (f.residenceCountry) single("residenceCity", "residenceCity", f.residenceCity);
  single("gender", "gender", f.gender);
  const min = parseAge(f.ageMin);
  const max = parseAge(f.ageMax);
  if (min !== null || max !== null) {
    chips.push({ id: "age", kind: "age", value: `${min ?? ""}-${max ?? ""}`, remove: (x) => ({ ...x, ageMin: "", ageMax: "" }) });
  }
  for (const lang of f.languages) {
    chips.push({ id: `language:${lang}`, kind: "language", value: lang, remove: (x) => ({ ...x, languages: x.languages.filter((l) => l !== lang) }) });
  }
  single("availability", "availability", f.availability);
  for (const t of TRAIT_FILTERS) single(t, t, f[t]);
  if (f.hasPhoto !== null) chips.push({ id: "hasPhoto", kind: "hasPhoto", value: String(f.hasPhoto), remove: (x) => ({ ...x, hasPhoto: null }) });
  if (f.hasCv !== null) chips.push({ id: "hasCv", kind: "hasCv", value: String(f.hasCv), remove: (x) => ({ ...x, hasCv: null }) });
  if (f.includeInactive) chips.push({ id: "includeInactive", kind: "includeInactive", value: "true", remove: (x) => ({ ...x, includeInactive: false }) });
  return chips;
}

/** Whether any filter is set (the search text aside). */
export function hasFilters(filters: Filters): boolean {
  return chipsOf(filters).length > 0;
}

/** A stable identity of what is asked, to know when the list must start over. */
export function queryKey(text: string, filters: Filters, sort: TalentSort): string {
  return JSON.stringify(buildQuery(text, filters, sort, 0, 1));
}
