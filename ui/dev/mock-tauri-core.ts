//! Browser-only stand-in for `@tauri-apps/api/core`, wired in by vite.preview-mock.config.ts so the
//! UI can be previewed and screenshotted without the Rust backend. Never part of the app bundle.
//!
//! URL parameters:  ?scenario=fresh|login|admin|recruiter|presence|talent|locked|store_corrupted|
//!                  key_file_corrupted|seed_corrupted   &lang=fr|en   &idle=<seconds>   &delay=<ms>
//! Any password of 12+ characters with 3 character classes is accepted; seeded users all use
//! "Sahel-Casting-2026".
//!                  &talents=<count, 0..100000>   &perms=view (talents without editing nor personal data)
//!                  &sync=none|enrolled|offline|revoked|update (see mock-sync.ts)
/* eslint-disable @typescript-eslint/no-explicit-any */
import { installCinemaHandlers } from "./mock-cinema";
import { installPresenceHandlers } from "./mock-presence";
import { installSyncHandlers } from "./mock-sync";
import { installTalentHandlers } from "./mock-talents";

type Locale = "fr" | "en";
type Role = "admin" | "recruiter" | "presence" | "talent";

const params = new URLSearchParams(location.search);
const scenario = params.get("scenario") ?? "fresh";
const delay = Number(params.get("delay") ?? 180);
const idleSecs = Number(params.get("idle") ?? 900);
const SEEDED_PASSWORD = "Sahel-Casting-2026";
const DEVICE = "PC-BUREAU-DKR-01";

const ALL_ACTIONS = [
  "users_view", "users_manage", "logs_view", "settings_manage", "reference_view", "talents_view", "talents_edit",
  "personal_data_view", "cinema_manage", "badges_print", "presence_scan", "presence_view", "sync_run", "backup_run",
];
const PERMISSIONS: Record<Role, string[]> = {
  admin: ALL_ACTIONS,
  recruiter: ["reference_view", "talents_view", "talents_edit", "personal_data_view", "cinema_manage", "badges_print", "presence_view", "sync_run"],
  presence: ["reference_view", "presence_scan", "presence_view", "sync_run"],
  talent: ["reference_view"],
};

const MESSAGES: Record<string, Record<Locale, string>> = {
  required: { fr: "Ce champ est obligatoire.", en: "This field is required." },
  email: { fr: "Saisissez une adresse e-mail valide, par exemple nom@agence.com.", en: "Enter a valid e-mail address, e.g. name@agency.com." },
  short: { fr: "Le mot de passe doit contenir au moins 12 caractères.", en: "The password must be at least 12 characters long." },
  weak: { fr: "Ce mot de passe est trop facile à deviner : mélangez lettres, chiffres et symboles.", en: "This password is too easy to guess: mix letters, digits and symbols." },
  mismatch: { fr: "Les deux mots de passe ne correspondent pas.", en: "The two passwords do not match." },
  invalid: { fr: "E-mail, code ou mot de passe incorrect.", en: "Wrong e-mail, code or password." },
  locked: { fr: "Trop d’essais infructueux : ce compte est verrouillé pour quelques minutes.", en: "Too many failed attempts: this account is locked for a few minutes." },
  expired: { fr: "Votre session a expiré.", en: "Your session has expired." },
  notAuth: { fr: "Connectez-vous pour continuer.", en: "Sign in to continue." },
  forbidden: { fr: "Votre rôle ne permet pas cette action.", en: "Your role does not allow this action." },
  self: { fr: "Vous ne pouvez pas désactiver votre propre compte.", en: "You cannot deactivate your own account." },
  duplicate: { fr: "Un utilisateur utilise déjà cette adresse e-mail.", en: "A user already has this e-mail address." },
  current: { fr: "Le mot de passe actuel est incorrect.", en: "The current password is wrong." },
  store_corrupted: { fr: "Impossible de déchiffrer talento.db : en-tête de fichier invalide.", en: "Cannot decrypt talento.db: invalid file header." },
  key_file_corrupted: { fr: "keys.json est illisible (sel manquant).", en: "keys.json is unreadable (missing salt)." },
  seed_corrupted: { fr: "La somme de contrôle de seeds/cities.csv ne correspond pas.", en: "The checksum of seeds/cities.csv does not match." },
  initialized: { fr: "Cet ordinateur est déjà configuré.", en: "This computer is already set up." },
};

type User = {
  id: string; code: string; name: string; email: string; role: Role; active: boolean; locked: boolean;
  createdAt: string; lastLoginAt: string | null; password: string; failures: number;
};

let locale: Locale = params.get("lang") === "en" ? "en" : "fr";
let initialized = scenario !== "fresh";
let agencyName: string | null = initialized ? "Sahel Casting Productions" : null;
let session: { userId: string; lastActivity: number } | null = null;
let nextId = 1000;
const users: User[] = [];
const security: any[] = [];
const activity: any[] = [];

const msg = (key: string) => MESSAGES[key]![locale];
const iso = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const codeChars = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
function newCode(role: Role): string {
  const prefix = { admin: "ADM", recruiter: "REC", presence: "PRE", talent: "TAL" }[role];
  let s = "";
  for (let i = 0; i < 5; i++) s += codeChars[Math.floor(Math.random() * codeChars.length)];
  return `${prefix}-${s}`;
}

function addUser(name: string, email: string, role: Role, opts: Partial<User> = {}): User {
  const u: User = {
    id: `u-${nextId++}`, code: newCode(role), name, email, role, active: true, locked: false,
    createdAt: iso(60 * 24 * 30), lastLoginAt: null, password: SEEDED_PASSWORD, failures: 0, ...opts,
  };
  users.push(u);
  return u;
}

function logSecurity(kind: string, user: User | null, minutesAgo = 0, detail: string | null = null) {
  security.unshift({ id: security.length + 1, at: iso(minutesAgo), kind, userName: user?.name ?? null, deviceId: DEVICE, detail });
}
function logActivity(action: string, entity: string, user: User | null, entityId: string | null, minutesAgo = 0) {
  activity.unshift({ id: activity.length + 1, at: iso(minutesAgo), userName: user?.name ?? null, action, entity, entityId, deviceId: DEVICE });
}

if (initialized) {
  const admin = addUser("Aminata Diallo", "aminata.diallo@sahelcasting.sn", "admin", { code: "ADM-7K3QX", lastLoginAt: iso(3) });
  const seeded: [string, string, Role, Partial<User>][] = [
    ["Adétòkunbọ̀ Ọládélé", "tokunbo@sahelcasting.sn", "recruiter", { code: "REC-4HT9M", lastLoginAt: iso(95) }],
    ["Ngozi Ẹzẹ", "ngozi.eze@sahelcasting.sn", "recruiter", { lastLoginAt: iso(60 * 26) }],
    ["Kwame Mensah", "kwame.mensah@sahelcasting.sn", "presence", { code: "PRE-9WD2F", lastLoginAt: iso(60 * 5) }],
    ["Ŋgɔnɔ Kɔnɛ", "ngono.kone@sahelcasting.sn", "presence", { locked: true, lastLoginAt: iso(60 * 49) }],
    ["Héloïse N’Guessan", "heloise.nguessan@sahelcasting.sn", "recruiter", { lastLoginAt: null }],
    ["Moussa Traoré", "moussa.traore@sahelcasting.sn", "presence", { active: false, lastLoginAt: iso(60 * 24 * 12) }],
    ["Zoë Ëkambi", "zoe.ekambi@sahelcasting.sn", "talent", { code: "TAL-3PQ8R", lastLoginAt: iso(60 * 24 * 3) }],
  ];
  logActivity("agency_created", "agency", admin, "ag-01", 60 * 24 * 30);
  for (const [name, email, role, opts] of seeded) {
    const u = addUser(name, email, role, opts);
    logSecurity("user_created", admin, 60 * 24 * 20, role);
    logActivity("user_created", "user", admin, u.id, 60 * 24 * 20);
  }
  const byName = (n: string) => users.find((u) => u.name.startsWith(n))!;
  logSecurity("user_deactivated", admin, 60 * 24 * 6);
  logActivity("user_deactivated", "user", admin, byName("Moussa").id, 60 * 24 * 6);
  logSecurity("login_succeeded", byName("Ngozi"), 60 * 26);
  logSecurity("login_failed", byName("Ŋgɔnɔ"), 60 * 49 + 3);
  logSecurity("login_failed", byName("Ŋgɔnɔ"), 60 * 49 + 2);
  logSecurity("account_locked", byName("Ŋgɔnɔ"), 60 * 49);
  logSecurity("session_expired", byName("Kwame"), 60 * 4);
  logSecurity("login_succeeded", byName("Kwame"), 60 * 5);
  logSecurity("password_changed", byName("Adétòkunbọ̀"), 100);
  logActivity("password_changed", "user", byName("Adétòkunbọ̀"), byName("Adétòkunbọ̀").id, 100);
  logSecurity("login_succeeded", byName("Adétòkunbọ̀"), 95);
  logSecurity("logout", byName("Adétòkunbọ̀"), 40);
  logSecurity("login_failed", null, 12, "inconnu@exemple.com");
  logSecurity("login_succeeded", admin, 3);
  security.sort((a, b) => (a.at < b.at ? 1 : -1));
  activity.sort((a, b) => (a.at < b.at ? 1 : -1));

  const role = (["admin", "recruiter", "presence", "talent"] as const).find((r) => r === scenario);
  if (role) {
    const who = role === "admin" ? admin : users.find((u) => u.role === role && u.active && !u.locked)!;
    session = { userId: who.id, lastActivity: Date.now() };
  }
}

const REFERENCE = [
  ["countries", 54], ["cities", 1_284], ["currencies", 42], ["talent_categories", 18], ["talents", 126],
  ["cinema_talent_types", 12], ["languages", 65], ["physical_traits", 38], ["availability", 6], ["work_modes", 5],
] as const;

class MockError {
  constructor(readonly code: string, readonly message: string, readonly fields: { field: string; message: string }[] = [], readonly retryAfterSecs: number | null = null) {}
}
const fail = (code: string, message: string, fields: { field: string; message: string }[] = [], retry: number | null = null): never => {
  throw { ...new MockError(code, message, fields, retry) };
};

const viewOnly = params.get("perms") === "view";
function permissionsOf(role: Role): string[] {
  return viewOnly ? PERMISSIONS[role].filter((p) => p !== "talents_edit" && p !== "personal_data_view") : PERMISSIONS[role];
}
function sessionDto(u: User) {
  return { userId: u.id, name: u.name, email: u.email, code: u.code, role: u.role, permissions: permissionsOf(u.role), idleTimeoutSecs: idleSecs };
}
function userDto(u: User) {
  const { password: _p, failures: _f, ...dto } = u;
  return dto;
}
function currentUser(): User | null {
  if (!session) return null;
  if (Date.now() - session.lastActivity > idleSecs * 1000) {
    const u = users.find((x) => x.id === session!.userId) ?? null;
    logSecurity("session_expired", u);
    session = null;
    return null;
  }
  return users.find((u) => u.id === session!.userId) ?? null;
}
function requireUser(action?: string): User {
  const hadSession = session !== null;
  const u = currentUser();
  if (!u) return fail(hadSession ? "session_expired" : "not_authenticated", msg(hadSession ? "expired" : "notAuth"));
  if (action && !permissionsOf(u.role).includes(action)) fail("forbidden", msg("forbidden"));
  session!.lastActivity = Date.now();
  return u;
}
function passwordProblems(pw: string, field: string) {
  if (pw.length < 12) return [{ field, message: msg("short") }];
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length;
  if (classes < 3 || /password|azerty|123456|motdepasse/i.test(pw)) return [{ field, message: msg("weak") }];
  return [];
}
const emailOk = (e: string) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e);

const handlers: Record<string, (args: any) => unknown> = {
  app_status() {
    if (scenario === "store_corrupted" || scenario === "key_file_corrupted" || scenario === "seed_corrupted") fail(scenario, msg(scenario));
    const u = currentUser();
    return { initialized, agencyName, locale, session: u ? sessionDto(u) : null, version: "0.1.0", dataDir: "/home/agence/.local/share/talento" };
  },
  set_locale({ locale: l }) {
    locale = l;
    return null;
  },
  first_run({ input }) {
    if (initialized) fail("already_initialized", msg("initialized"));
    const fields: { field: string; message: string }[] = [];
    if (!input.agencyName.trim()) fields.push({ field: "agencyName", message: msg("required") });
    if (!input.adminName.trim()) fields.push({ field: "adminName", message: msg("required") });
    if (!emailOk(input.adminEmail)) fields.push({ field: "adminEmail", message: msg(input.adminEmail ? "email" : "required") });
    fields.push(...passwordProblems(input.password, "password"));
    if (input.password !== input.passwordConfirm) fields.push({ field: "passwordConfirm", message: msg("mismatch") });
    if (fields.length) fail(fields.some((f) => f.field === "password") && fields.length === 1 ? "weak_password" : "validation", fields[0]!.message, fields);
    initialized = true;
    agencyName = input.agencyName.trim();
    locale = input.locale;
    const admin = addUser(input.adminName.trim(), input.adminEmail.trim(), "admin", { password: input.password, lastLoginAt: iso(0), createdAt: iso(0) });
    logActivity("agency_created", "agency", admin, "ag-01");
    logSecurity("user_created", admin, 0, "admin");
    logSecurity("login_succeeded", admin);
    session = { userId: admin.id, lastActivity: Date.now() };
    return sessionDto(admin);
  },
  login({ identifier, password }) {
    const id = String(identifier).trim().toLowerCase();
    if (!id) fail("validation", msg("required"), [{ field: "identifier", message: msg("required") }]);
    if (scenario === "locked") fail("account_locked", msg("locked"), [], 287);
    const u = users.find((x) => x.email.toLowerCase() === id || x.code.toLowerCase() === id);
    if (u?.locked) fail("account_locked", msg("locked"), [], 300);
    if (!u || !u.active || u.password !== password) {
      logSecurity("login_failed", u ?? null, 0, u ? null : id);
      if (u && ++u.failures >= 5) {
        u.locked = true;
        logSecurity("account_locked", u);
        fail("account_locked", msg("locked"), [], 300);
      }
      fail("invalid_credentials", msg("invalid"));
    }
    u!.failures = 0;
    u!.lastLoginAt = iso(0);
    logSecurity("login_succeeded", u!);
    session = { userId: u!.id, lastActivity: Date.now() };
    return sessionDto(u!);
  },
  logout() {
    const u = currentUser();
    if (u) logSecurity("logout", u);
    session = null;
    return null;
  },
  session_status() {
    const u = currentUser();
    return u ? sessionDto(u) : null;
  },
  touch_session() {
    requireUser();
    return null;
  },
  change_password({ current, newPassword }) {
    const u = requireUser();
    if (u.password !== current) fail("invalid_credentials", msg("current"), [{ field: "current", message: msg("current") }]);
    const problems = passwordProblems(newPassword, "newPassword");
    if (problems.length) fail("weak_password", problems[0]!.message, problems);
    u.password = newPassword;
    logSecurity("password_changed", u);
    logActivity("password_changed", "user", u, u.id);
    return null;
  },
  list_users() {
    requireUser("users_view");
    return users.map(userDto);
  },
  create_user({ input }) {
    const actor = requireUser("users_manage");
    const fields: { field: string; message: string }[] = [];
    if (!input.name.trim()) fields.push({ field: "name", message: msg("required") });
    if (!emailOk(input.email)) fields.push({ field: "email", message: msg(input.email ? "email" : "required") });
    else if (users.some((u) => u.email.toLowerCase() === input.email.trim().toLowerCase())) fields.push({ field: "email", message: msg("duplicate") });
    fields.push(...passwordProblems(input.password, "password"));
    if (fields.length) fail(fields.some((f) => f.message === msg("duplicate")) ? "conflict" : "validation", fields[0]!.message, fields);
    const u = addUser(input.name.trim(), input.email.trim(), input.role, { password: input.password, createdAt: iso(0) });
    logSecurity("user_created", actor, 0, input.role);
    logActivity("user_created", "user", actor, u.id);
    return userDto(u);
  },
  set_user_active({ userId, active }) {
    const actor = requireUser("users_manage");
    const u = users.find((x) => x.id === userId)!;
    if (u.id === actor.id && !active) fail("forbidden", msg("self"));
    u.active = active;
    logSecurity(active ? "user_reactivated" : "user_deactivated", actor);
    logActivity(active ? "user_reactivated" : "user_deactivated", "user", actor, u.id);
    return userDto(u);
  },
  unlock_user({ userId }) {
    const actor = requireUser("users_manage");
    const u = users.find((x) => x.id === userId)!;
    u.locked = false;
    u.failures = 0;
    logSecurity("account_unlocked", actor);
    logActivity("account_unlocked", "user", actor, u.id);
    return userDto(u);
  },
  list_security_log({ limit }) {
    requireUser("logs_view");
    return security.slice(0, limit);
  },
  list_activity_log({ limit }) {
    requireUser("logs_view");
    return activity.slice(0, limit);
  },
  reference_summary() {
    requireUser("reference_view");
    return REFERENCE.map(([list, count]) => ({ list, count }));
  },
};

Object.assign(
  handlers,
  installTalentHandlers({
    locale: () => locale,
    requireUser,
    permissions: () => {
      const u = currentUser();
      return u ? permissionsOf(u.role) : [];
    },
    fail,
    logActivity,
    activity,
  }),
);

Object.assign(
  handlers,
  installCinemaHandlers({
    locale: () => locale,
    requireUser,
    fail,
    talent: (idOrCode: string) => handlers.get_talent!({ idOrCode }),
    someTalents: (n: number) =>
      ((handlers.search_talents!({ query: { text: null, kind: null, gender: null, skill: null, category: null, talentType: null, originCountry: null, originCity: null, residenceCountry: null, residenceCity: null, languages: [], availability: null, eyeColor: null, hairColor: null, hairType: null, skinTone: null, build: null, hasPhoto: true, hasCv: null, ageMin: null, ageMax: null, includeInactive: false, sort: "name", offset: 0, limit: n } }) as any)?.items ?? []).map((t: any) => t.id),
  }),
);

Object.assign(
  handlers,
  installPresenceHandlers({ locale: () => locale, requireUser, fail, call: (cmd, args) => handlers[cmd]!(args) }),
);

Object.assign(handlers, installSyncHandlers({ locale: () => locale, requireUser, fail }));

/** The generated bindings import Channel (for streamed results); no command of the preview streams yet. */
export class Channel<T = unknown> {
  onmessage: (message: T) => void = () => undefined;
}

export async function invoke<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  await new Promise((r) => setTimeout(r, delay));
  const handler = handlers[cmd];
  if (!handler) throw `command ${cmd} not found`;
  return (await handler(args)) as T;
}

// Handy from the devtools console: end the session as the idle timer would.
(window as any).__mockExpireSession = () => {
  if (session) session.lastActivity = 0;
};
