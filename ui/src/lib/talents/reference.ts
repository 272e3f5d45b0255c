//! The reference lists indexed for the talent screens: countries with their currency, cities per country, and
//! every other list (categories, talents, languages, physical traits…) by list and key. Pure: the loading and
//! caching live in reference.svelte.ts.
import type { CityRef, CountryRef, ListItem, Locale, ReferenceLists, TalentKind } from "../ipc";

export type Named = { nameFr: string; nameEn: string };

/** The city code of "Ville non listée" / "Unlisted city", present in every country. */
export const UNLISTED_CITY = "VNL";

export const TRAITS = ["eye_color", "hair_color", "hair_type", "skin_tone", "build"] as const;
export type Trait = (typeof TRAITS)[number];

export const ID_DOCUMENT_TYPES = ["passport", "national_id", "residence_card", "driving_licence", "other"] as const;

export const SOCIAL_NETWORKS = [
  "linkedin", "imdb", "instagram", "tiktok", "youtube", "facebook", "x", "threads", "github", "behance", "dribbble",
  "pinterest", "snapchat", "telegram",
] as const;

export function nameIn(item: Named, locale: Locale): string {
  return locale === "en" ? item.nameEn : item.nameFr;
}

export class ReferenceIndex {
  readonly countries: CountryRef[];
  private countryBy = new Map<string, CountryRef>();
  private citiesBy = new Map<string, CityRef[]>();
  private lists = new Map<string, ListItem[]>();
  private itemBy = new Map<string, ListItem>();

  constructor(data: ReferenceLists) {
    this.countries = data.countries;
    for (const c of data.countries) this.countryBy.set(c.iso2, c);
    for (const city of data.cities) {
      let list = this.citiesBy.get(city.country);
      if (!list) this.citiesBy.set(city.country, (list = []));
      list.push(city);
    }
    for (const item of data.items) {
      let list = this.lists.get(item.list);
      if (!list) this.lists.set(item.list, (list = []));
      list.push(item);
      this.itemBy.set(this.itemKey(item.list, item.key, item.group), item);
    }
  }

  private itemKey(list: string, key: string, group: string | null = null): string {
    // Categories and skills are keyed within their tag (general / cinema).
    return list === "category" || list === "skill" ? `${list}:${group ?? ""}:${key}` : `${list}:${key}`;
  }

  country(iso2: string | null | undefined): CountryRef | undefined {
    return iso2 ? this.countryBy.get(iso2) : undefined;
  }

  cities(iso2: string | null | undefined): CityRef[] {
    return (iso2 && this.citiesBy.get(iso2)) || [];
  }

  city(iso2: string | null | undefined, code: string | null | undefined): CityRef | undefined {
    if (!iso2 || !code) return undefined;
    return this.cities(iso2).find((c) => c.code === code);
  }

  list(name: string): ListItem[] {
    return this.lists.get(name) ?? [];
  }

  item(list: string, key: string | null | undefined): ListItem | undefined {
    return key ? this.itemBy.get(this.itemKey(list, key)) : undefined;
  }

  category(tag: string, key: string): ListItem | undefined {
    return this.itemBy.get(this.itemKey("category", key, tag));
  }

  skill(tag: string, key: string): ListItem | undefined {
    return this.itemBy.get(this.itemKey("skill", key, tag));
  }

  categories(tag: TalentKind): ListItem[] {
    return this.list("category").filter((c) => c.group === tag);
  }

  skills(tag: TalentKind, category?: string | null): ListItem[] {
    return this.list("skill").filter((s) => s.group === tag && (!category || s.parent === category));
  }

  /** Country name, or the code itself when unknown. */
  countryName(iso2: string | null | undefined, locale: Locale): string {
    const c = this.country(iso2);
    return c ? nameIn(c, locale) : (iso2 ?? "");
  }

  nationalityName(iso2: string | null | undefined, locale: Locale): string {
    const c = this.country(iso2);
    if (!c) return iso2 ?? "";
    return locale === "en" ? c.nationalityEn : c.nationalityFr;
  }

  /** City name; the free text for an unlisted city when given. */
  cityName(iso2: string | null | undefined, code: string | null | undefined, locale: Locale, other?: string | null): string {
    if (code === UNLISTED_CITY && other) return other;
    const c = this.city(iso2, code);
    return c ? nameIn(c, locale) : (code ?? "");
  }

  /** Label of a list entry, or the key itself when unknown (an entry retired since). */
  label(list: string, key: string | null | undefined, locale: Locale): string {
    const item = this.item(list, key);
    return item ? nameIn(item, locale) : (key ?? "");
  }

  skillLabel(tag: string, key: string, locale: Locale): string {
    const item = this.skill(tag, key);
    return item ? nameIn(item, locale) : key;
  }

  /** The currency of a country (ISO 4217); US dollars where none is listed, as the backend does. */
  currency(iso2: string | null | undefined): string {
    return this.country(iso2)?.currency ?? "USD";
  }
}
