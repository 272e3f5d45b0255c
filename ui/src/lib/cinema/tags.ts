//! Short free-text lists typed as chips (services, awards, shooting locations): what was typed is split on commas,
//! semicolons and new lines, tidied, and added without repeating an entry already there (case and accents aside).

export const TAG_MAX_ITEMS = 50;
export const TAG_MAX_LENGTH = 200;

function key(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/** The list with the typed entries added (at most `max` entries in all). */
export function addTags(list: readonly string[], typed: string, max = TAG_MAX_ITEMS): string[] {
  const out = [...list];
  const seen = new Set(out.map(key));
  for (const raw of typed.split(/[,;\n]/)) {
    const tag = raw.replace(/\s+/g, " ").trim().slice(0, TAG_MAX_LENGTH);
    if (!tag || seen.has(key(tag)) || out.length >= max) continue;
    seen.add(key(tag));
    out.push(tag);
  }
  return out;
}
