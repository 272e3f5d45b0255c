//! The talent registry of the browser preview: the real reference lists (read from ../seeds), a few thousand
//! generated talents (`?talents=N`, up to 100,000, `0` for an empty registry), and the registry commands with the
//! backend's rules that matter on screen (required fields, duplicates, codes, completeness, erase, drafts, files).
/* eslint-disable @typescript-eslint/no-explicit-any */
import availabilityCsv from "../../seeds/availability.csv?raw";
import cinemaTypesCsv from "../../seeds/cinema_talent_types.csv?raw";
import citiesCsv from "../../seeds/cities.csv?raw";
import countriesCsv from "../../seeds/countries.csv?raw";
import currenciesCsv from "../../seeds/currencies.csv?raw";
import languagesCsv from "../../seeds/languages.csv?raw";
import traitsCsv from "../../seeds/physical_traits.csv?raw";
import categoriesCsv from "../../seeds/talent_categories.csv?raw";
import talentsCsv from "../../seeds/talents.csv?raw";
import workModesCsv from "../../seeds/work_modes.csv?raw";

type Locale = "fr" | "en";
type Field = { field: string; message: string };

export type TalentContext = {
  locale: () => Locale;
  requireUser: (action?: string) => any;
  permissions: () => string[];
  fail: (code: string, message: string, fields?: Field[]) => never;
  logActivity: (action: string, entity: string, user: any, entityId: string | null, minutesAgo?: number) => void;
  activity: any[];
};

// ------------------------------------------------------------------ CSV and reference lists

function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

const currencies = new Map(parseCsv(currenciesCsv).map((r) => [r.country_iso2!, r]));
const countries = parseCsv(countriesCsv).map((r) => ({
  iso2: r.iso2!, nameFr: r.name_fr!, nameEn: r.name_en!, nationalityFr: r.nationality_fr!, nationalityEn: r.nationality_en!,
  currency: currencies.get(r.iso2!)?.currency ?? null, currencySymbol: currencies.get(r.iso2!)?.symbol ?? null,
}));
const cities = parseCsv(citiesCsv).map((r) => ({ country: r.country_iso2!, code: r.code!, nameFr: r.name_fr!, nameEn: r.name_en! }));
const item = (list: string, r: Record<string, string>, extra: Partial<Record<string, string | null>> = {}) => ({
  list, group: null, parent: null, key: r.key!, nameFr: r.name_fr!, nameEn: r.name_en!, extra: null, extraFr: null, extraEn: null, ...extra,
});
const items = [
  ...parseCsv(categoriesCsv).map((r) => item("category", r, { group: r.tag!, extra: r.emoji! })),
  ...parseCsv(talentsCsv).map((r) => item("skill", r, { group: r.tag!, parent: r.category_key! })),
  ...parseCsv(cinemaTypesCsv).map((r) => item("cinema_talent_type", r)),
  ...parseCsv(languagesCsv).map((r) => item("language", r, { extra: r.flag! })),
  ...parseCsv(traitsCsv).map((r) => item(r.trait!, r)),
  ...parseCsv(availabilityCsv).map((r) => item("availability", r, { extraFr: r.label_fr!, extraEn: r.label_en! })),
  ...parseCsv(workModesCsv).map((r) => item("work_mode", r)),
];
const REFERENCE = { countries, cities, items };

const countryBy = new Map(countries.map((c) => [c.iso2, c]));
const citiesOf = (iso: string) => cities.filter((c) => c.country === iso);
const listOf = (list: string, group?: string) => items.filter((i) => i.list === list && (group === undefined || i.group === group));
const skillCategory = new Map(listOf("skill").map((s) => [`${s.group}:${s.key}`, `${s.group}:${s.parent}`]));

// ------------------------------------------------------------------ helpers

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261121);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
const chance = (p: number) => rand() < p;
const some = <T>(a: readonly T[], min: number, max: number): T[] => {
  const n = min + Math.floor(rand() * (max - min + 1));
  const copy = [...a];
  const out: T[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rand() * copy.length), 1)[0]!);
  return out;
};
const fold = (s: string) => s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/[ɛ]/g, "e").replace(/[ɔ]/g, "o").replace(/[ŋ]/g, "n");
let uuidSeq = 0;
const uuid = () => `${(0x10000000 + uuidSeq++).toString(16)}-${Math.floor(rand() * 0xffff).toString(16).padStart(4, "0")}-4000-8000-${Math.floor(rand() * 2 ** 40).toString(16).padStart(12, "0")}`;
const pad = (n: number) => String(n).padStart(2, "0");
const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
function ageOf(birth: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth);
  if (!m) return null;
  const now = new Date();
  let age = now.getFullYear() - Number(m[1]);
  if (now.getMonth() + 1 < Number(m[2]) || (now.getMonth() + 1 === Number(m[2]) && now.getDate() < Number(m[3]))) age--;
  return age;
}

// ------------------------------------------------------------------ photos and files (in memory)

const photos = new Map<string, { full: string; thumb: string }>();
const files = new Map<string, { kind: string; mime: string; ext: string; b64: string }>();
const SKIN = ["#8d5524", "#6b3e1f", "#a86b3c", "#c68642", "#4a2a14", "#7a4a2a", "#5c3317"];
const BG = ["#f3c9b5", "#d6e4dc", "#dfe3ee", "#efe3c8", "#e8d5e0", "#d9e6ef", "#f0dcc8"];
const CLOTH = ["#b04a27", "#2f5d50", "#3b4a7a", "#8a6d1f", "#6d2f5b", "#1f5f7a", "#7a3b2f"];

function portrait(seed: number): string {
  const r = mulberry32(seed);
  const p = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const bg = p(BG);
  const skin = p(SKIN);
  const cloth = p(CLOTH);
  const hair = r() < 0.5 ? `<ellipse cx="64" cy="44" rx="27" ry="22" fill="#1c1917"/>` : `<path d="M37 52c0-20 13-31 27-31s27 11 27 31c-4-9-14-14-27-14s-23 5-27 14Z" fill="#1c1917"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128"><rect width="128" height="128" fill="${bg}"/><path d="M14 128c4-28 24-40 50-40s46 12 50 40Z" fill="${cloth}"/><rect x="55" y="70" width="18" height="20" rx="6" fill="${skin}"/>${hair}<ellipse cx="64" cy="56" rx="22" ry="26" fill="${skin}"/></svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** Used by ipc.photoUrl in the preview. */
(globalThis as any).__talentoMockPhotoUrl = (hash: string, thumb: boolean) => {
  const p = photos.get(hash);
  if (p) return thumb ? p.thumb : p.full;
  const m = /^mockphoto-(\d+)$/.exec(hash);
  return m ? portrait(Number(m[1])) : "data:,";
};

async function cropToDataUrl(b64: string, crop: { x: number; y: number; size: number } | null, side: number): Promise<string> {
  const img = new Image();
  img.src = `data:image/*;base64,${b64}`;
  await img.decode();
  const w = img.naturalWidth;
  const h = img.naturalHeight;
  const c = crop ?? { x: Math.floor((w - Math.min(w, h)) / 2), y: Math.floor((h - Math.min(w, h)) / 2), size: Math.min(w, h) };
  if (c.size <= 0 || c.x + c.size > w || c.y + c.size > h) throw new Error("crop");
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = side;
  canvas.getContext("2d")!.drawImage(img, c.x, c.y, c.size, c.size, 0, 0, side, side);
  return canvas.toDataURL("image/jpeg", 0.88);
}

// ------------------------------------------------------------------ generated talents

const FIRST_F = ["Aïssatou", "Awa", "Fatou", "Mariama", "Adjoa", "Ngozi", "Chiamaka", "Ọlábísí", "Ẹ̀bùn", "Ŋgɔnɔ", "Khadija", "Rokhaya", "Nafissatou", "Yaa", "Akosua", "Amina", "Salimata", "Grâce", "Joséphine", "Héloïse", "Zoë", "Bintou", "Coumba", "Kadiatou", "Néné", "Oumou", "Ramatoulaye", "Adaeze", "Folake", "Ayọ̀", "Esi", "Mame Diarra", "Sokhna", "Yasmine", "Imane"];
const FIRST_M = ["Mamadou", "Ousmane", "Ibrahima", "Cheikh", "Moussa", "Adétòkunbọ̀", "Chukwuemeka", "Kwame", "Kofi", "Yaw", "Sékou", "Boubacar", "Idrissa", "Souleymane", "Abdoulaye", "Modibo", "Emeka", "Ọlá", "Babajide", "Kouassi", "Koffi", "Serge", "Étienne", "Jean-Baptiste", "Thierry", "Lamine", "Alassane", "Youssef", "Karim", "Aboubacar"];
const LAST = ["Diallo", "Ndiaye", "Diop", "Sow", "Traoré", "Coulibaly", "Keïta", "Konaté", "Camara", "Ouédraogo", "Sawadogo", "Kaboré", "Mensah", "Asante", "Owusu", "Boateng", "Okafor", "Okonkwo", "Adébáyọ̀", "Ọládélé", "Ẹzẹ", "Kɔnɛ", "N’Diaye", "N’Guessan", "Kouamé", "Yao", "Bamba", "Touré", "Cissé", "Fofana", "Sylla", "Mbaye", "Faye", "Gueye", "Fall", "Sarr", "Ba", "Kane", "Tall", "Mbappé", "Eto’o", "Nkemelu", "Abena", "El Amrani", "Benali", "Ouattara", "Zongo", "Ilboudo", "Tshisekedi", "Mukendi"];
const HOME = ["SN", "SN", "SN", "SN", "CI", "CI", "ML", "ML", "BF", "CM", "NG", "NG", "GH", "MA", "CD", "BJ", "TG", "GN", "NE", "KE", "FR"];
const LOCAL_LANG: Record<string, string[]> = {
  SN: ["wolof", "fula"], ML: ["bambara", "fula"], NG: ["yoruba", "hausa", "igbo"], GH: ["english"], CD: ["lingala", "swahili"],
  KE: ["swahili", "english"], MA: ["arabic", "amazigh"], CM: ["english"], NE: ["hausa"], BF: ["fula"],
};
const BIOS = [
  "Comédienne formée au théâtre Daniel Sorano, à l’aise devant la caméra comme sur scène.",
  "Chauffeur expérimenté, permis poids lourds, connaît bien Dakar et sa banlieue.",
  "Danseur de sabar et de hip-hop, disponible pour clips et publicités.",
  "Couturière et styliste, travaille le wax et le bazin.",
  "Ancien footballeur semi-professionnel, reconverti dans la figuration et la cascade.",
];

type Talent = Record<string, any>;
const talents: Talent[] = [];
const counters = new Map<string, number>();
const drafts = new Map<string, { body: string }>();

function nextCode(kind: string, gender: string, origin: string, resCountry: string, resCity: string): string {
  const scope = kind === "general" ? `general:${origin}` : `cinema:${resCountry}:${resCity}`;
  const n = (counters.get(scope) ?? 0) + 1;
  counters.set(scope, n);
  const num = String(n).padStart(4, "0");
  return kind === "general" ? `${origin}${gender}${num}${resCity}` : `${resCountry}${resCity}${num}${gender}`;
}

function place(): [string, string] {
  const country = pick(HOME);
  const list = citiesOf(country).filter((c) => c.code !== "VNL");
  const city = list.length ? (chance(0.45) ? list[0]! : pick(list)) : citiesOf(country)[0]!;
  return [country, city.code];
}

function generate(count: number) {
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const kind = chance(0.68) ? "general" : "cinema";
    const gender = chance(0.5) ? "F" : chance(0.96) ? "M" : "N";
    const firstName = pick(gender === "F" ? FIRST_F : gender === "M" ? FIRST_M : [...FIRST_F, ...FIRST_M]);
    const lastName = pick(LAST);
    const [originCountry, originCity] = place();
    const [residenceCountry, residenceCity] = chance(0.8) ? [originCountry, originCity] : place();
    const birth = new Date(1958 + Math.floor(rand() * 50), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28));
    const skills = some(listOf("skill", kind).map((s) => s.key), 1, 5);
    const langs = [...new Set([chance(0.2) ? "english" : "french", ...some(LOCAL_LANG[originCountry] ?? ["english"], 0, 2)])];
    const cinema = kind === "cinema";
    const t: Talent = {
      id: uuid(), kind, firstName, lastName, gender, birthDate: isoDay(birth),
      nationality: chance(0.9) ? originCountry : null, originCountry, originCity, residenceCountry, residenceCity,
      residenceCityOther: null,
      email: chance(0.7) ? `${fold(firstName).replace(/[^a-z]/g, "")}.${fold(lastName).replace(/[^a-z]/g, "")}${i}@example.sn` : null,
      phone: chance(0.9) ? `+2217${Math.floor(10000000 + rand() * 89999999)}` : null,
      address: chance(0.4) ? `Rue ${10 + Math.floor(rand() * 90)}, ${citiesOf(residenceCountry).find((c) => c.code === residenceCity)?.nameFr ?? ""}` : null,
      passportNumber: !cinema && chance(0.4) ? `A${Math.floor(rand() * 9e7)}` : null, residenceCardNumber: null,
      idDocumentType: cinema && chance(0.6) ? pick(["passport", "national_id"]) : null, idDocumentNumber: null, idPhoto: null,
      bio: chance(0.5) ? pick(BIOS) : null, yearsExperience: chance(0.7) ? Math.floor(rand() * 20) : null,
      availability: chance(0.7) ? pick(listOf("availability")).key : null, workMode: !cinema && chance(0.6) ? pick(listOf("work_mode")).key : null,
      rateMin: !cinema && chance(0.4) ? 5000 * (1 + Math.floor(rand() * 20)) : null, rateMax: null,
      education: null, portfolioUrl: null, website: null, socials: chance(0.3) ? { instagram: `@${fold(firstName).replace(/[^a-z]/g, "")}${i}` } : {},
      languages: langs, skills,
      talentTypes: cinema ? some(listOf("cinema_talent_type").map((x) => x.key), 1, 2) : [], ethnicities: [], productions: [],
      eyeColor: cinema && chance(0.8) ? pick(listOf("eye_color")).key : null, hairColor: cinema && chance(0.8) ? pick(listOf("hair_color")).key : null,
      hairType: cinema && chance(0.7) ? pick(listOf("hair_type")).key : null, skinTone: cinema && chance(0.8) ? pick(listOf("skin_tone")).key : null,
      build: cinema && chance(0.7) ? pick(listOf("build")).key : null, heightCm: cinema && chance(0.8) ? 150 + Math.floor(rand() * 45) : null,
      weightKg: cinema && chance(0.6) ? 48 + Math.floor(rand() * 50) : null,
      photo: chance(0.72) ? `mockphoto-${i + 1}` : null, cv: chance(0.35) ? `mockcv-${i + 1}` : null, cvKind: null, gallery: [],
      consentVersion: "2026-11-v1", active: chance(0.96), erased: false,
      createdAt: new Date(now - Math.floor(rand() * 700) * 86_400_000 - Math.floor(rand() * 86_400_000)).toISOString(),
    };
    if (t.rateMin && chance(0.5)) t.rateMax = t.rateMin * 2;
    if (t.cv) t.cvKind = chance(0.7) ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (cinema && t.photo && chance(0.5)) t.gallery = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, g) => `mockphoto-${(i + 1) * 100 + g + 7}`);
    if (cinema && chance(0.3)) t.productions = [{ title: pick(["Atlantique", "Maîtresse d’un homme marié", "Bayefall", "Sakho & Mangane", "Lionheart"]), year: 2015 + Math.floor(rand() * 10), role: pick(["Figuration", "Rôle secondaire", null]) }];
    t.updatedAt = t.createdAt;
    t.code = nextCode(kind, gender, originCountry, residenceCountry, residenceCity);
    talents.push(t);
  }
}

const params = new URLSearchParams(location.search);
generate(Math.max(0, Math.min(100_000, Number(params.get("talents") ?? 2400))));
// A recognisable pair for duplicate checks in screenshots.
if (talents.length) {
  Object.assign(talents[0]!, { firstName: "Aïssatou", lastName: "Ndiaye", gender: "F", birthDate: "1994-03-12", kind: "general", email: "aissatou.ndiaye@example.sn", phone: "+221771234567", active: true, photo: "mockphoto-1" });
  talents[0]!.code = nextCode("general", "F", talents[0]!.originCountry, talents[0]!.residenceCountry, talents[0]!.residenceCity);
}

function index(t: Talent) {
  const city = cities.find((c) => c.country === t.residenceCountry && c.code === t.residenceCity);
  const country = countryBy.get(t.residenceCountry);
  t._name = fold(`${t.firstName} ${t.lastName}`);
  t._hay = fold(`${t.firstName} ${t.lastName} ${t.code} ${city?.nameFr ?? ""} ${city?.nameEn ?? ""} ${country?.nameFr ?? ""} ${t.residenceCityOther ?? ""} ${t.skills.map((k: string) => items.find((s) => s.list === "skill" && s.group === t.kind && s.key === k)?.nameFr ?? "").join(" ")}`).split(/[^a-z0-9]+/).filter(Boolean);
}
talents.forEach(index);

// ------------------------------------------------------------------ rules

const MSG: Record<string, Record<Locale, string>> = {
  required: { fr: "Ce champ est obligatoire.", en: "This field is required." },
  invalidDate: { fr: "Date invalide (format JJ/MM/AAAA).", en: "Invalid date (format DD/MM/YYYY)." },
  future: { fr: "Cette date est dans le futur.", en: "This date is in the future." },
  unknown: { fr: "Valeur inconnue : choisissez-la dans la liste.", en: "Unknown value: pick it from the list." },
  email: { fr: "Adresse e-mail invalide (exemple : awa.diop@agence.sn).", en: "Invalid e-mail address (for example: awa.diop@agency.com)." },
  phone: { fr: "Numéro invalide pour ce pays (exemple : +221 77 123 45 67).", en: "Invalid number for this country (for example: +221 77 123 45 67)." },
  url: { fr: "Adresse web invalide : elle doit commencer par https://", en: "Invalid web address: it must start with https://" },
  inverted: { fr: "Le minimum dépasse le maximum.", en: "The minimum is above the maximum." },
  consent: { fr: "Le consentement du talent est obligatoire pour l’enregistrer.", en: "The talent's consent is required to register them." },
  unsupported: { fr: "Type de fichier non accepté (photos : JPEG, PNG, WebP, GIF ; CV : PDF, DOCX, DOC).", en: "File type not accepted (photos: JPEG, PNG, WebP, GIF; CVs: PDF, DOCX, DOC)." },
  crop: { fr: "Le cadrage dépasse de l’image : recadrez la photo.", en: "The crop goes beyond the image: crop the photo again." },
  tooLarge: { fr: "Fichier trop lourd : 10 Mo au maximum.", en: "File too large: at most 10 MB." },
  validation: { fr: "Certains champs sont à corriger.", en: "Some fields need correcting." },
  notFound: { fr: "Ce talent n’existe pas ou a été effacé.", en: "This talent does not exist or was erased." },
};

const CONSENT: Record<Locale, string> = {
  fr: "J’accepte que l’agence enregistre mes informations (identité, coordonnées, photos, CV et caractéristiques physiques) pour me proposer des rôles et des missions, qu’elle les partage avec les productions pour lesquelles je suis retenu(e), et qu’elle les conserve tant que je reste inscrit(e). Je peux demander à tout moment à consulter, corriger ou effacer mes données.",
  en: "I agree that the agency records my information (identity, contact details, photos, CV and physical traits) to offer me roles and assignments, shares it with the productions that select me, and keeps it while I remain registered. I may ask at any time to see, correct or erase my data.",
};

function completeness(t: Talent): [number, string[]] {
  const filled = (k: string) => {
    const v = t[k];
    return !(v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length) || (typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length));
  };
  const common = ["photo", "phone", "email", "nationality", "bio", "languages", "skills", "availability", "yearsExperience"];
  const specific = t.kind === "general" ? ["cv", "workMode", "rateMin"] : ["talentTypes", "heightCm", "eyeColor", "hairColor", "skinTone", "build", "gallery", "idPhoto"];
  const fields = [...common, ...specific];
  const missing = fields.filter((f) => !filled(f));
  return [Math.floor(((fields.length - missing.length) * 100) / fields.length), missing];
}

export function installTalentHandlers(ctx: TalentContext): Record<string, (args: any) => unknown> {
  const msg = (k: string) => MSG[k]![ctx.locale()];
  const find = (idOrCode: string) => talents.find((t) => !t.erased && (t.id === idOrCode || t.code === idOrCode));
  const personalAllowed = () => ctx.permissions().includes("personal_data_view");

  function dto(t: Talent) {
    const [score, missing] = completeness(t);
    const p = personalAllowed();
    return {
      id: t.id, kind: t.kind, code: t.code, codeProvisional: false, firstName: t.firstName, lastName: t.lastName, gender: t.gender,
      birthDate: t.birthDate, age: ageOf(t.birthDate), nationality: t.nationality, originCountry: t.originCountry, originCity: t.originCity,
      residenceCountry: t.residenceCountry, residenceCity: t.residenceCity, residenceCityOther: t.residenceCityOther,
      personal: p
        ? { email: t.email, phone: t.phone, whatsapp: t.whatsapp ?? null, address: t.address, passportNumber: t.passportNumber, residenceCardNumber: t.residenceCardNumber, idDocumentType: t.idDocumentType, idDocumentNumber: t.idDocumentNumber, idPhoto: t.idPhoto }
        : null,
      bio: t.bio, yearsExperience: t.yearsExperience, availability: t.availability, workMode: t.workMode, rateMin: t.rateMin, rateMax: t.rateMax,
      currency: t.rateMin !== null || t.rateMax !== null ? (countryBy.get(t.residenceCountry)?.currency ?? "USD") : null,
      education: t.education, portfolioUrl: t.portfolioUrl, website: t.website, socials: t.socials, languages: t.languages, skills: t.skills,
      talentTypes: t.talentTypes, ethnicities: t.ethnicities, productions: t.productions, eyeColor: t.eyeColor, hairColor: t.hairColor,
      hairType: t.hairType, skinTone: t.skinTone, build: t.build, heightCm: t.heightCm, weightKg: t.weightKg, photo: t.photo, cv: t.cv,
      cvKind: t.cvKind, gallery: t.gallery, consentVersion: t.consentVersion, consentAt: t.createdAt, active: t.active, erased: t.erased,
      createdAt: t.createdAt, updatedAt: t.updatedAt, completeness: score, missing,
    };
  }

  function listItem(t: Talent) {
    return {
      id: t.id, kind: t.kind, code: t.code, codeProvisional: false, firstName: t.firstName, lastName: t.lastName, gender: t.gender,
      age: ageOf(t.birthDate), residenceCountry: t.residenceCountry, residenceCity: t.residenceCity, residenceCityOther: t.residenceCityOther,
      photo: t.photo, hasCv: !!t.cv, active: t.active, skills: t.skills.slice(0, 3),
    };
  }

  function validate(input: any, creating: boolean): Field[] {
    const errors: Field[] = [];
    const add = (field: string, key: string) => errors.push({ field, message: msg(key) });
    if (!input.firstName?.trim()) add("firstName", "required");
    if (!input.lastName?.trim()) add("lastName", "required");
    if (!input.gender) add("gender", "required");
    if (!input.birthDate) add("birthDate", "required");
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(input.birthDate) || Number.isNaN(Date.parse(input.birthDate))) add("birthDate", "invalidDate");
    else if (input.birthDate > isoDay(new Date())) add("birthDate", "future");
    for (const [fc, fcity] of [["originCountry", "originCity"], ["residenceCountry", "residenceCity"]] as const) {
      if (!input[fc]) add(fc, "required");
      else if (!countryBy.has(input[fc])) add(fc, "unknown");
      else if (!input[fcity]) add(fcity, "required");
      else if (!cities.some((c) => c.country === input[fc] && c.code === input[fcity])) add(fcity, "unknown");
    }
    if (input.residenceCity === "VNL" && !input.residenceCityOther?.trim()) add("residenceCityOther", "required");
    if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) add("email", "email");
    for (const f of ["phone", "whatsapp"]) if (input[f] && !/^\+?[\d\s().-]{8,20}$/.test(input[f])) add(f, "phone");
    for (const f of ["portfolioUrl", "website"]) if (input[f] && !/^https?:\/\/[^\s/]+\.[^\s]+$/.test(input[f])) add(f, "url");
    if (input.rateMin !== null && input.rateMax !== null && input.rateMin > input.rateMax) add("rateMax", "inverted");
    if (creating && !input.consent) add("consent", "consent");
    return errors;
  }

  function duplicatesOf(input: any, except: string | null) {
    const key = fold(`${input.firstName} ${input.lastName}`.trim());
    const out: any[] = [];
    for (const t of talents) {
      if (t.erased || t.id === except) continue;
      const reasons: string[] = [];
      if (t._name === key && t.birthDate === input.birthDate) reasons.push("name_and_birth_date");
      if (input.phone && (t.phone === input.phone || t.whatsapp === input.phone)) reasons.push("phone");
      if (input.email && t.email === input.email) reasons.push("email");
      if (reasons.length) out.push({ id: t.id, code: t.code, firstName: t.firstName, lastName: t.lastName, birthDate: t.birthDate, reasons });
      if (out.length >= 10) break;
    }
    return out;
  }

  function apply(t: Talent, input: any) {
    const cinema = t.kind === "cinema";
    Object.assign(t, {
      firstName: input.firstName.trim(), lastName: input.lastName.trim(), gender: input.gender, birthDate: input.birthDate,
      nationality: input.nationality, originCountry: input.originCountry, originCity: input.originCity,
      residenceCountry: input.residenceCountry, residenceCity: input.residenceCity,
      residenceCityOther: input.residenceCity === "VNL" ? input.residenceCityOther : null,
      email: input.email, phone: input.phone, whatsapp: input.whatsapp, address: input.address,
      passportNumber: input.passportNumber, residenceCardNumber: input.residenceCardNumber,
      idDocumentType: input.idDocumentType, idDocumentNumber: input.idDocumentNumber, idPhoto: cinema ? input.idPhoto : null,
      bio: input.bio, yearsExperience: input.yearsExperience, availability: input.availability, workMode: input.workMode,
      rateMin: input.rateMin, rateMax: input.rateMax, education: input.education, portfolioUrl: input.portfolioUrl, website: input.website,
      socials: input.socials ?? {}, languages: input.languages ?? [], skills: input.skills ?? [], talentTypes: input.talentTypes ?? [],
      ethnicities: input.ethnicities ?? [], productions: input.productions ?? [], eyeColor: input.eyeColor, hairColor: input.hairColor,
      hairType: input.hairType, skinTone: input.skinTone, build: input.build, heightCm: input.heightCm, weightKg: input.weightKg,
      photo: input.photo, cv: input.cv, cvKind: input.cv ? (files.get(input.cv)?.mime ?? t.cvKind ?? "application/pdf") : null,
      gallery: cinema ? (input.gallery ?? []) : [], updatedAt: new Date().toISOString(),
    });
    index(t);
  }

  return {
    reference_lists() {
      ctx.requireUser("reference_view");
      return REFERENCE;
    },
    consent_text() {
      return { version: "2026-11-v1", text: CONSENT[ctx.locale()] };
    },
    search_talents({ query: q }) {
      ctx.requireUser("talents_view");
      const words = q.text ? fold(q.text).split(/[^a-z0-9]+/).filter(Boolean) : [];
      const minBirth = q.ageMax !== null ? new Date(new Date().getFullYear() - q.ageMax - 1, new Date().getMonth(), new Date().getDate() + 1) : null;
      const maxBirth = q.ageMin !== null ? new Date(new Date().getFullYear() - q.ageMin, new Date().getMonth(), new Date().getDate()) : null;
      const [minIso, maxIso] = [minBirth && isoDay(minBirth), maxBirth && isoDay(maxBirth)];
      const matches = talents.filter((t) => {
        if (t.erased || (!q.includeInactive && !t.active)) return false;
        if (q.kind && t.kind !== q.kind) return false;
        if (q.gender && t.gender !== q.gender) return false;
        if (q.skill && !t.skills.some((s: string) => `${t.kind}:${s}` === q.skill)) return false;
        if (q.category && !t.skills.some((s: string) => skillCategory.get(`${t.kind}:${s}`) === q.category)) return false;
        if (q.talentType && !t.talentTypes.includes(q.talentType)) return false;
        if (q.originCountry && t.originCountry !== q.originCountry) return false;
        if (q.originCity && t.originCity !== q.originCity) return false;
        if (q.residenceCountry && t.residenceCountry !== q.residenceCountry) return false;
        if (q.residenceCity && t.residenceCity !== q.residenceCity) return false;
        if (q.languages.some((l: string) => !t.languages.includes(l))) return false;
        for (const f of ["availability", "eyeColor", "hairColor", "hairType", "skinTone", "build"]) if (q[f] && t[f] !== q[f]) return false;
        if (q.hasPhoto !== null && !!t.photo !== q.hasPhoto) return false;
        if (q.hasCv !== null && !!t.cv !== q.hasCv) return false;
        if (minIso && t.birthDate < minIso) return false;
        if (maxIso && t.birthDate > maxIso) return false;
        if (words.length && !words.every((w: string) => t._hay.some((h: string) => h.startsWith(w)))) return false;
        return true;
      });
      const starts = (t: Talent) => words.length > 0 && words.every((w: string) => t._name.split(" ").some((n: string) => n.startsWith(w)));
      matches.sort((a, b) => {
        if (q.sort === "code") return a.code < b.code ? -1 : 1;
        if (q.sort === "newest") return a.createdAt < b.createdAt ? 1 : -1;
        if (q.sort === "relevance" && words.length) {
          const d = Number(starts(b)) - Number(starts(a));
          if (d) return d;
        }
        return a._name < b._name ? -1 : a._name > b._name ? 1 : a.code < b.code ? -1 : 1;
      });
      const limit = Math.min(500, q.limit || 50);
      return { total: matches.length, items: matches.slice(q.offset, q.offset + limit).map(listItem) };
    },
    get_talent({ idOrCode }) {
      ctx.requireUser("talents_view");
      const t = find(idOrCode);
      if (!t) ctx.fail("not_found", msg("notFound"));
      return dto(t!);
    },
    register_talent({ input }) {
      const user = ctx.requireUser("talents_edit");
      const errors = validate(input, true);
      if (errors.length) ctx.fail("validation", msg("validation"), errors);
      if (!input.confirmDuplicates) {
        const candidates = duplicatesOf(input, null);
        if (candidates.length) return { outcome: "possible_duplicates", candidates };
      }
      const t: Talent = { id: uuid(), kind: input.kind, consentVersion: "2026-11-v1", active: true, erased: false, createdAt: new Date().toISOString() };
      apply(t, input);
      t.code = nextCode(t.kind, t.gender, t.originCountry, t.residenceCountry, t.residenceCity);
      talents.push(t);
      index(t);
      ctx.logActivity("talent_created", "talent", user, t.id);
      return { outcome: "saved", talent: dto(t) };
    },
    update_talent({ id, input }) {
      const user = ctx.requireUser("talents_edit");
      const t = find(id);
      if (!t) ctx.fail("not_found", msg("notFound"));
      const errors = validate(input, false);
      if (errors.length) ctx.fail("validation", msg("validation"), errors);
      if (!input.confirmDuplicates) {
        const candidates = duplicatesOf(input, t!.id);
        if (candidates.length) return { outcome: "possible_duplicates", candidates };
      }
      apply(t!, input);
      ctx.logActivity("talent_updated", "talent", user, t!.id);
      return { outcome: "saved", talent: dto(t!) };
    },
    set_talent_active({ id, active }) {
      const user = ctx.requireUser("talents_edit");
      const t = find(id);
      if (!t) ctx.fail("not_found", msg("notFound"));
      t!.active = active;
      ctx.logActivity(active ? "talent_reactivated" : "talent_deactivated", "talent", user, t!.id);
      return dto(t!);
    },
    erase_talent({ id }) {
      const user = ctx.requireUser("talents_edit");
      const t = find(id);
      if (!t) ctx.fail("not_found", msg("notFound"));
      for (const k of Object.keys(t!)) if (!["id", "code", "kind", "createdAt"].includes(k)) delete t![k];
      Object.assign(t!, { erased: true, active: false, _hay: [], _name: "" });
      ctx.logActivity("talent_erased", "talent", user, t!.id);
      return null;
    },
    talent_history({ id }) {
      ctx.requireUser("talents_view");
      const t = find(id);
      const own = ctx.activity.filter((a) => a.entity === "talent" && a.entityId === id);
      if (t && !own.some((a) => a.action === "talent_created")) {
        own.push({ id: -1, at: t.createdAt, userName: "Adétòkunbọ̀ Ọládélé", action: "talent_created", entity: "talent", entityId: id, deviceId: "PC-BUREAU-DKR-01" });
      }
      return own.sort((a, b) => (a.at < b.at ? 1 : -1));
    },
    save_draft({ kind, body }) {
      const user = ctx.requireUser("talents_edit");
      drafts.set(`${user.id}:${kind}`, { body });
      try {
        sessionStorage.setItem(`mock-draft:${user.id}:${kind}`, body);
      } catch {
        // not kept across reloads
      }
      return null;
    },
    load_draft({ kind }) {
      const user = ctx.requireUser("talents_edit");
      const key = `${user.id}:${kind}`;
      const kept = drafts.get(key)?.body ?? sessionStorage.getItem(`mock-draft:${key}`);
      return kept ?? null;
    },
    discard_draft({ kind }) {
      const user = ctx.requireUser("talents_edit");
      drafts.delete(`${user.id}:${kind}`);
      sessionStorage.removeItem(`mock-draft:${user.id}:${kind}`);
      return null;
    },
    async stage_photo({ dataBase64, crop, usage }) {
      ctx.requireUser("talents_edit");
      const field = usage === "id_document" ? "idPhoto" : "photo";
      if (dataBase64.length > 14_000_000) ctx.fail("validation", msg("tooLarge"), [{ field, message: msg("tooLarge") }]);
      const head = atob(dataBase64.slice(0, 16));
      const isImage = head.startsWith("\xff\xd8") || head.startsWith("\x89PNG") || head.startsWith("GIF8") || head.slice(8, 12) === "WEBP";
      if (!isImage) ctx.fail("validation", msg("unsupported"), [{ field, message: msg("unsupported") }]);
      let full: string;
      let thumb: string;
      try {
        full = await cropToDataUrl(dataBase64, crop, 512);
        thumb = await cropToDataUrl(dataBase64, crop, 128);
      } catch {
        return ctx.fail("validation", msg("crop"), [{ field, message: msg("crop") }]);
      }
      const hash = `staged-${Math.random().toString(36).slice(2, 12)}`;
      photos.set(hash, { full, thumb });
      return { hash, thumb: `${hash}-t`, mime: "image/jpeg" };
    },
    stage_cv({ dataBase64 }) {
      ctx.requireUser("talents_edit");
      if (dataBase64.length > 14_000_000) ctx.fail("validation", msg("tooLarge"), [{ field: "cv", message: msg("tooLarge") }]);
      const head = atob(dataBase64.slice(0, 12));
      const kind = head.startsWith("%PDF")
        ? ["application/pdf", "pdf"]
        : head.startsWith("PK")
          ? ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"]
          : head.startsWith("\xd0\xcf\x11\xe0")
            ? ["application/msword", "doc"]
            : null;
      if (!kind) return ctx.fail("validation", msg("unsupported"), [{ field: "cv", message: msg("unsupported") }]);
      const hash = `cv-${Math.random().toString(36).slice(2, 12)}`;
      files.set(hash, { kind: "cv", mime: kind[0]!, ext: kind[1]!, b64: dataBase64 });
      return { hash, thumb: null, mime: kind[0] };
    },
    read_cv({ hash }) {
      ctx.requireUser("talents_view");
      const f = files.get(hash);
      return { mime: f?.mime ?? "application/pdf", extension: f?.ext ?? "pdf", dataBase64: f?.b64 ?? "" };
    },
    export_cv({ hash }) {
      const user = ctx.requireUser("talents_view");
      const t = talents.find((x) => x.cv === hash);
      ctx.logActivity("cv_exported", "talent", user, t?.id ?? null);
      return null;
    },
    talent_qr_svg({ idOrCode }) {
      ctx.requireUser("talents_view");
      const t = find(idOrCode);
      if (!t) ctx.fail("not_found", msg("notFound"));
      return fakeQr(t!.code);
    },
    "plugin:dialog|save"({ options }) {
      return `/home/agence/Documents/${options?.defaultPath ?? "cv.pdf"}`;
    },
  };
}

/** Looks like a QR code (finder patterns and noise), which is all a preview needs. */
function fakeQr(text: string): string {
  const n = 29;
  let seed = 0;
  for (const c of text) seed = (seed * 31 + c.charCodeAt(0)) | 0;
  const r = mulberry32(seed);
  const cells: string[] = [];
  const finder = (x: number, y: number) => x < 7 && y < 7;
  const inFinder = (x: number, y: number) => finder(x, y) || finder(n - 1 - x, y) || finder(x, n - 1 - y);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      if (inFinder(x, y)) continue;
      if (r() < 0.5) cells.push(`M${x + 4} ${y + 4}h1v1h-1z`);
    }
  const f = (x: number, y: number) => `M${x + 4} ${y + 4}h7v7h-7zM${x + 5} ${y + 5}v5h5v-5zM${x + 6} ${y + 6}h3v3h-3z`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n + 8} ${n + 8}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" fill-rule="evenodd" d="${f(0, 0)}${f(n - 7, 0)}${f(0, n - 7)}${cells.join("")}"/></svg>`;
}
