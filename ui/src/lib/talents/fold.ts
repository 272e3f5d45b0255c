//! Matching what people type against names, ignoring accents, case and the African letters a French keyboard
//! cannot type ("ŋgɔnɔ" is found by "ngono", "Fès" by "fes", "Sao Tome" by "São Tomé").

const SPECIAL: Record<string, string> = {
  ɛ: "e", ɔ: "o", ŋ: "n", ɓ: "b", ɗ: "d", ƙ: "k", ƴ: "y", ʼ: "", ø: "o", ł: "l", đ: "d", ð: "d", ı: "i", ħ: "h",
  æ: "ae", œ: "oe", ß: "ss", þ: "th",
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join("")}]`, "gu");

/** Lower case, accents and marks stripped, special letters spelled with plain Latin ones. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? c);
}

/** Whether `hay` holds every word typed in `query` (accents and case ignored); an empty query matches all. */
export function matchesWords(hay: string, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const folded = fold(hay);
  return words.every((w) => folded.includes(w));
}

/** The words of a folded text (anything but letters and digits separates them). */
function words(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * How well `label` matches the typed `query`: 0 = no match; higher is better. The whole label starting with the
 * query ranks first, then every typed word starting a word of the label, then the query found anywhere.
 */
export function matchScore(label: string, query: string): number {
  const q = fold(query).trim();
  if (!q) return 1;
  const l = fold(label);
  if (l.startsWith(q)) return 4;
  const labelWords = words(l);
  const queryWords = words(q);
  if (queryWords.length > 0 && queryWords.every((w) => labelWords.some((lw) => lw.startsWith(w)))) return 3;
  if (l.includes(q)) return 2;
  const compact = (s: string) => s.replace(/[^\p{L}\p{N}]+/gu, "");
  if (compact(q) && compact(l).includes(compact(q))) return 1.5;
  return 0;
}

/** The options matching `query`, best first, keeping the original order among equals. */
export function filterOptions<T>(options: readonly T[], query: string, label: (o: T) => string): T[] {
  if (!query.trim()) return [...options];
  return options
    .map((o, i) => ({ o, i, s: matchScore(label(o), query) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.o);
}
