//! Which sections a session may open, decided from its permissions only (the backend enforces
//! them again), and the hash routes between them (`#/admin/users`, `#/talents/<id>/edit`).
import type { Action, TalentKind } from "./ipc";

export type Section = "home" | "talents" | "cinema" | "presence" | "admin";
export type AdminTab = "users" | "security" | "activity" | "reference" | "badges" | "sync";
/** A screen of the talent registry other than the list. `step` opens the wizard on one of its sections. */
export type TalentView =
  | { view: "new"; kind: TalentKind }
  | { view: "profile"; id: string }
  | { view: "edit"; id: string; step?: string };
/** A screen of the cinema section: the two lists, a project's page, and the forms. */
export type CinemaView =
  | { view: "projects" }
  | { view: "project"; id: string }
  | { view: "projectNew" }
  | { view: "projectEdit"; id: string }
  | { view: "productions" }
  | { view: "productionNew" }
  | { view: "production"; id: string };
export type Route = { section: Section; tab?: AdminTab; talent?: TalentView; cinema?: CinemaView };

export const SECTIONS: readonly Section[] = ["home", "talents", "cinema", "presence", "admin"];
export const ADMIN_TABS: readonly AdminTab[] = ["users", "security", "activity", "reference", "badges", "sync"];

const SECTION_NEEDS: Record<Section, readonly Action[]> = {
  home: [],
  talents: ["talents_view"],
  cinema: ["cinema_manage"],
  presence: ["presence_view", "presence_scan"],
  admin: ["users_view", "logs_view"],
};

const TAB_NEEDS: Record<AdminTab, readonly Action[]> = {
  users: ["users_view"],
  security: ["logs_view"],
  activity: ["logs_view"],
  reference: ["reference_view"],
  badges: ["settings_manage"],
  // Enrolling is an administrator's act; the header indicator shows the sync state to everyone who may sync.
  sync: ["settings_manage"],
};

/** Any one of `needs` is enough; an empty list means everyone. */
function allowed(needs: readonly Action[], permissions: readonly Action[]): boolean {
  return needs.length === 0 || needs.some((a) => permissions.includes(a));
}

export function sectionsFor(permissions: readonly Action[]): Section[] {
  return SECTIONS.filter((s) => allowed(SECTION_NEEDS[s], permissions));
}

export function adminTabsFor(permissions: readonly Action[]): AdminTab[] {
  if (!sectionsFor(permissions).includes("admin")) return [];
  return ADMIN_TABS.filter((tab) => allowed(TAB_NEEDS[tab], permissions));
}

/** Talent ids are UUIDs and codes are capital letters and digits: anything else is not a talent route. */
const TALENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const WIZARD_STEP = /^[a-z]{1,20}$/;

function parseTalent(parts: string[]): TalentView | undefined {
  const [first, second, third] = parts;
  if (!first) return undefined;
  if (first === "new") return second === "general" || second === "cinema" ? { view: "new", kind: second } : undefined;
  if (!TALENT_ID.test(first)) return undefined;
  if (second === "edit") return third && WIZARD_STEP.test(third) ? { view: "edit", id: first, step: third } : { view: "edit", id: first };
  return { view: "profile", id: first };
}

function parseCinema(parts: string[]): CinemaView | undefined {
  const [list, first, second] = parts;
  if (list === "projects") {
    if (!first) return { view: "projects" };
    if (first === "new") return { view: "projectNew" };
    if (!TALENT_ID.test(first)) return { view: "projects" };
    return second === "edit" ? { view: "projectEdit", id: first } : { view: "project", id: first };
  }
  if (list === "productions") {
    if (!first) return { view: "productions" };
    if (first === "new") return { view: "productionNew" };
    return TALENT_ID.test(first) ? { view: "production", id: first } : { view: "productions" };
  }
  return undefined;
}

export function parseRoute(hash: string): Route {
  const [section, tab, ...rest] = hash.replace(/^#?\/?/, "").split("?")[0]!.split("/");
  if (!SECTIONS.includes(section as Section)) return { section: "home" };
  if (section === "admin") {
    return ADMIN_TABS.includes(tab as AdminTab) ? { section, tab: tab as AdminTab } : { section };
  }
  if (section === "talents") {
    const talent = parseTalent([tab ?? "", ...rest]);
    return talent ? { section, talent } : { section };
  }
  if (section === "cinema") {
    const cinema = parseCinema([tab ?? "", ...rest]);
    return cinema ? { section, cinema } : { section };
  }
  return { section: section as Section };
}

export function routeHash(route: Route): string {
  if (route.section === "admin" && route.tab) return `#/admin/${route.tab}`;
  const t = route.section === "talents" ? route.talent : undefined;
  if (t?.view === "new") return `#/talents/new/${t.kind}`;
  if (t?.view === "profile") return `#/talents/${t.id}`;
  if (t?.view === "edit") return t.step ? `#/talents/${t.id}/edit/${t.step}` : `#/talents/${t.id}/edit`;
  const c = route.section === "cinema" ? route.cinema : undefined;
  switch (c?.view) {
    case "projects":
      return "#/cinema/projects";
    case "project":
      return `#/cinema/projects/${c.id}`;
    case "projectNew":
      return "#/cinema/projects/new";
    case "projectEdit":
      return `#/cinema/projects/${c.id}/edit`;
    case "productions":
      return "#/cinema/productions";
    case "productionNew":
      return "#/cinema/productions/new";
    case "production":
      return `#/cinema/productions/${c.id}`;
  }
  return `#/${route.section}`;
}

/** The route itself when this session may see it, otherwise the nearest place it may. */
export function resolveRoute(route: Route, permissions: readonly Action[]): Route {
  if (!sectionsFor(permissions).includes(route.section)) return { section: "home" };
  if (route.section === "talents" && route.talent) {
    const editing = route.talent.view === "new" || route.talent.view === "edit";
    if (editing && !permissions.includes("talents_edit")) {
      // Without the right to edit, a wizard address shows the profile (or the list) instead.
      return route.talent.view === "edit" ? { section: "talents", talent: { view: "profile", id: route.talent.id } } : { section: "talents" };
    }
    return { section: "talents", talent: route.talent };
  }
  if (route.section === "cinema") return route.cinema ? { section: "cinema", cinema: route.cinema } : { section: "cinema" };
  if (route.section !== "admin") return { section: route.section };
  const tabs = adminTabsFor(permissions);
  const tab = route.tab && tabs.includes(route.tab) ? route.tab : tabs[0];
  return tab ? { section: "admin", tab } : { section: "home" };
}
