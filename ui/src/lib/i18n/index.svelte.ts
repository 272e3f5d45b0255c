//! The UI language: one reactive locale, read by `t()` so every string re-renders on a switch.
import type { Locale } from "../ipc";
import en from "./en.json";
import fr from "./fr.json";
import { interpolate, lookup, pluralForm, type MessageKey, type Params, type PluralKey } from "./translate";

export type { MessageKey, PluralKey } from "./translate";

const catalogues: Record<Locale, unknown> = { fr, en };
const STORAGE_KEY = "talento.locale";

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "fr" || saved === "en") return saved;
  } catch {
    // storage unavailable: fall through to the default
  }
  return "fr";
}

let current = $state<Locale>(initialLocale());

export const i18n = {
  get locale(): Locale {
    return current;
  },
};

/** Switches every string of the UI at once (the backend is told separately, through ipc.setLocale). */
export function setUiLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered, still switched
  }
}

function text(key: string): string | undefined {
  const found = lookup(catalogues[current], key) ?? lookup(catalogues.fr, key);
  return typeof found === "string" ? found : undefined;
}

/** The message for `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return interpolate(text(key) ?? key, params);
}

/** The plural message for `count` (`count` is also passed as the `{count}` parameter). */
export function tn(key: PluralKey, count: number, params?: Params): string {
  const form = pluralForm(current, count);
  const found = text(`${key}.${form}`) ?? text(`${key}.other`) ?? key;
  return interpolate(found, { count, ...params });
}

/** For keys built from server values (event kinds, list ids…): the fallback when there is no entry. */
export function tOr(key: string, fallback: string, params?: Params): string {
  const found = text(key);
  return found === undefined ? fallback : interpolate(found, params);
}
