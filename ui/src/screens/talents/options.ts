//! Reference lists turned into picker options and labels in the current language, shared by the list, the
//! wizard and the profile.
import type { ComboOption } from "../../lib/components/Combobox.svelte";
import { i18n, t, tOr } from "../../lib/i18n/index.svelte";
import type { Gender, ListItem, Locale, TalentKind } from "../../lib/ipc";
import { nameIn, type ReferenceIndex } from "../../lib/talents/reference";

export const GENDERS: Gender[] = ["F", "M", "N"];

export function countryOptions(ref: ReferenceIndex, locale: Locale = i18n.locale): ComboOption[] {
  return ref.countries
    .map((c) => ({ value: c.iso2, label: nameIn(c, locale), hint: c.iso2 }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}

export function nationalityOptions(ref: ReferenceIndex, locale: Locale = i18n.locale): ComboOption[] {
  return ref.countries
    .map((c) => ({ value: c.iso2, label: locale === "en" ? c.nationalityEn : c.nationalityFr, hint: nameIn(c, locale) }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}

/** Cities of a country, alphabetical, with "Ville non listée" last as in the reference list. */
export function cityOptions(ref: ReferenceIndex, country: string | null, locale: Locale = i18n.locale): ComboOption[] {
  const cities = ref.cities(country);
  const listed = cities.filter((c) => c.code !== "VNL").map((c) => ({ value: c.code, label: nameIn(c, locale), hint: c.code }));
  listed.sort((a, b) => a.label.localeCompare(b.label, locale));
  const unlisted = cities.find((c) => c.code === "VNL");
  return unlisted ? [...listed, { value: unlisted.code, label: nameIn(unlisted, locale), hint: null }] : listed;
}

export function itemOptions(items: ListItem[], locale: Locale = i18n.locale, withExtra = false): ComboOption[] {
  return items.map((i) => ({ value: i.key, label: nameIn(i, locale), prefix: withExtra ? i.extra : null }));
}

export function languageOptions(ref: ReferenceIndex, locale: Locale = i18n.locale): ComboOption[] {
  return itemOptions(ref.list("language"), locale, true).sort((a, b) => a.label.localeCompare(b.label, locale));
}

/** Categories as `tag:key` (both kinds when none is chosen, the cinema ones marked). */
export function categoryOptions(ref: ReferenceIndex, kind: TalentKind | null, locale: Locale = i18n.locale): ComboOption[] {
  const tags: TalentKind[] = kind ? [kind] : ["general", "cinema"];
  return tags.flatMap((tag) =>
    ref.categories(tag).map((c) => ({
      value: `${tag}:${c.key}`,
      label: nameIn(c, locale),
      prefix: c.extra,
      hint: kind ? null : t(`talents.kinds.${tag}`),
    })),
  );
}

/** Talents / cinema skills as `tag:key`, within a category (`tag:key`) when one is chosen. */
export function skillOptions(ref: ReferenceIndex, kind: TalentKind | null, category: string | null, locale: Locale = i18n.locale): ComboOption[] {
  const [catTag, catKey] = category ? category.split(":") : [null, null];
  const tags: TalentKind[] = catTag ? [catTag as TalentKind] : kind ? [kind] : ["general", "cinema"];
  return tags.flatMap((tag) =>
    ref.skills(tag, catKey).map((s) => ({
      value: `${tag}:${s.key}`,
      label: nameIn(s, locale),
      hint: kind || catTag ? null : t(`talents.kinds.${tag}`),
    })),
  );
}

export function genderLabel(g: Gender): string {
  return t(`talents.genders.${g}`);
}

export function activityLabel(action: string): string {
  return tOr(`activityLog.actions.${action}`, action);
}

/** "34 ans" / "34 years". */
export function ageLabel(age: number | null): string {
  return age === null ? "" : t("talents.ageYears", { age });
}
