//! A gentle strength hint while a password is typed. Rust's policy is the authority: this only
//! guides, it never blocks a submission.

export const MIN_PASSWORD_LENGTH = 12;

export type StrengthLevel = "empty" | "tooShort" | "weak" | "fair" | "good" | "strong";
export type StrengthHint = "addLength" | "addVariety" | "avoidCommon" | "avoidRepeat" | "avoidPersonal";

export type Strength = {
  /** 0 (nothing typed) to 4 (strong); drives the meter. */
  score: 0 | 1 | 2 | 3 | 4;
  level: StrengthLevel;
  hints: StrengthHint[];
};

const COMMON = [
  "password", "motdepasse", "azerty", "qwerty", "123456", "654321", "abcdef", "abc123", "111111",
  "admin", "talento", "casting", "bienvenue", "welcome", "soleil", "iloveyou", "jetaime", "letmein",
  "000000", "112233", "azertyuiop", "qwertyuiop",
];

const SEQUENCES = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "azertyuiop", "qwertyuiop", "qsdfghjklm", "asdfghjkl", "wxcvbn", "zxcvbnm"];

function characterClasses(pw: string): number {
  let classes = 0;
  if (/\p{Ll}/u.test(pw)) classes++;
  if (/\p{Lu}/u.test(pw)) classes++;
  if (/\p{Nd}/u.test(pw)) classes++;
  if (/[^\p{L}\p{Nd}]/u.test(pw)) classes++;
  return classes;
}

function hasSequence(lower: string): boolean {
  for (const seq of SEQUENCES) {
    for (let i = 0; i + 4 <= seq.length; i++) {
      const run = seq.slice(i, i + 4);
      if (lower.includes(run) || lower.includes([...run].reverse().join(""))) return true;
    }
  }
  return false;
}

/** Words from the person's name, e-mail or agency worth warning about (4 letters or more). */
function personalWords(context: readonly string[]): string[] {
  return context
    .flatMap((c) => c.toLowerCase().split(/[^\p{L}\p{Nd}]+/u))
    .filter((w) => w.length >= 4);
}

export function passwordStrength(password: string, context: readonly string[] = []): Strength {
  const length = [...password].length;
  if (length === 0) return { score: 0, level: "empty", hints: [] };

  const lower = password.toLowerCase();
  const classes = characterClasses(password);
  const common = COMMON.some((w) => lower.includes(w)) || hasSequence(lower);
  const repeated = /(.)\1\1/u.test(password) || new Set(password).size < Math.max(4, length / 3);
  const personal = personalWords(context).some((w) => lower.includes(w));

  const hints: StrengthHint[] = [];
  if (length < 16) hints.push("addLength");
  if (classes < 3) hints.push("addVariety");
  if (common) hints.push("avoidCommon");
  if (repeated) hints.push("avoidRepeat");
  if (personal) hints.push("avoidPersonal");

  if (length < MIN_PASSWORD_LENGTH) return { score: 1, level: "tooShort", hints };

  let score = length >= 20 ? 4 : length >= 16 ? 3 : length >= 14 ? 2 : 1;
  if (classes >= 3) score += 1;
  if (classes <= 1) score -= 1;
  if (repeated) score -= 1;
  if (personal) score -= 1;
  if (common) score = Math.min(score, 1);
  const clamped = Math.max(1, Math.min(4, score)) as 1 | 2 | 3 | 4;
  const LEVELS = { 1: "weak", 2: "fair", 3: "good", 4: "strong" } as const;
  return { score: clamped, level: LEVELS[clamped], hints };
}

const LOWER = "abcdefghijkmnpqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";

/**
 * A strong initial password an admin can read out or write down: four groups of four
 * unambiguous characters (no 0/O, 1/l/I) with every class present and no weak pattern,
 * e.g. `h7Kp-3mQx-Wz9d-tR4e`.
 */
export function generatePassword(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const all = LOWER + UPPER + DIGITS;
  for (;;) {
    const bytes = random(16);
    const chars = [...bytes].map((b) => all[b % all.length]);
    const groups = [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join(""));
    const candidate = groups.join("-");
    const varied = /[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /[0-9]/.test(candidate);
    // Never hand out something our own hint would call weak (a keyboard run, a repeat…).
    if (varied && passwordStrength(candidate).level === "strong") return candidate;
  }
}
