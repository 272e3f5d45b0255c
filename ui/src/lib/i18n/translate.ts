//! Pure catalogue lookup: dotted keys, `{name}` parameters and CLDR plural forms. The reactive
//! wrapper (current locale) lives in index.svelte.ts.
import fr from "./fr.json";

export type Catalogue = typeof fr;
export type Params = Record<string, string | number>;

type PluralForms = { one: string; other: string };

/** Every dotted path of the catalogue that ends on a plain string. */
type StringPaths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : T[K] extends PluralForms
      ? never
      : StringPaths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every dotted path of the catalogue that ends on `{ one, other }`. */
type PluralPaths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? never
    : T[K] extends PluralForms
      ? `${P}${K}`
      : PluralPaths<T[K], `${P}${K}.`>;
}[keyof T & string];

export type MessageKey = StringPaths<Catalogue>;
export type PluralKey = PluralPaths<Catalogue>;

/** Walks `a.b.c` through nested objects; undefined when any step is missing. */
export function lookup(catalogue: unknown, key: string): unknown {
  let node: unknown = catalogue;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Replaces `{name}` with params.name; unknown placeholders are left visible so they get noticed. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const pluralRules = new Map<string, Intl.PluralRules>();

/** "one" or "other" for this count in this language (French counts 0 and 1 as "one"). */
export function pluralForm(locale: string, count: number): "one" | "other" {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count) === "one" ? "one" : "other";
}

/** Every string leaf of a catalogue as `dotted.key → text` (used by the catalogue tests). */
export function flatten(node: unknown, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  if (typeof node === "string") {
    out[prefix] = node;
  } else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}
