//! Placeholder avatar initials that respect accented and combining letters ("Ọlá Adébáyọ̀" → "ỌA").

function firstGrapheme(word: string): string {
  if (typeof Intl.Segmenter === "function") {
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(word)) {
      return segment;
    }
    return "";
  }
  const match = /^\P{M}\p{M}*/u.exec(word);
  return match ? match[0] : "";
}

export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s\-‐]+/u)
    .filter((w) => /\p{L}/u.test(w))
    .map((w) => w.replace(/^[^\p{L}]+/u, ""));
  if (words.length === 0) return "?";
  const first = words[0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1] ?? "") : "";
  return (firstGrapheme(first) + (last ? firstGrapheme(last) : "")).toLocaleUpperCase();
}
