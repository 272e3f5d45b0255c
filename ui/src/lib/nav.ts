//! Which sections a session may open, decided from its permissions only (the backend enforces
//! them again), and the hash routes between them (`#/admin/users`).
import type { Action } from "./ipc";

export type Section = "home" | "talents" | "cinema" | "presence" | "admin";
export type AdminTab = "users" | "security" | "activity" | "reference";
export type Route = { section: Section; tab?: AdminTab };

export const SECTIONS: readonly Section[] = ["home", "talents", "cinema", "presence", "admin"];
export const ADMIN_TABS: readonly AdminTab[] = ["users", "security", "activity", "reference"];

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

export function parseRoute(hash: string): Route {
  const [section, tab] = hash.replace(/^#?\/?/, "").split("/");
  if (!SECTIONS.includes(section as Section)) return { section: "home" };
  if (section === "admin") {
    return ADMIN_TABS.includes(tab as AdminTab) ? { section, tab: tab as AdminTab } : { section };
  }
  return { section: section as Section };
}

export function routeHash(route: Route): string {
  return route.section === "admin" && route.tab ? `#/admin/${route.tab}` : `#/${route.section}`;
}

/** The route itself when this session may see it, otherwise the nearest place it may. */
export function resolveRoute(route: Route, permissions: readonly Action[]): Route {
  if (!sectionsFor(permissions).includes(route.section)) return { section: "home" };
  if (route.section !== "admin") return { section: route.section };
  const tabs = adminTabsFor(permissions);
  const tab = route.tab && tabs.includes(route.tab) ? route.tab : tabs[0];
  return tab ? { section: "admin", tab } : { section: "home" };
}
