import { describe, expect, it } from "vitest";
import type { Action } from "./ipc";
import { adminTabsFor, parseRoute, resolveRoute, routeHash, sectionsFor } from "./nav";

const ADMIN: Action[] = [
  "users_view", "users_manage", "logs_view", "settings_manage", "reference_view", "talents_view", "talents_edit",
  "personal_data_view", "cinema_manage", "badges_print", "presence_scan", "presence_view", "sync_run", "backup_run",
];
const RECRUITER: Action[] = ["reference_view", "talents_view", "talents_edit", "personal_data_view", "cinema_manage", "badges_print", "presence_view", "sync_run"];
const PRESENCE: Action[] = ["reference_view", "presence_scan", "presence_view", "sync_run"];
const TALENT: Action[] = ["reference_view"];

describe("sections from permissions", () => {
  it("opens everything to an admin", () => {
    expect(sectionsFor(ADMIN)).toEqual(["home", "talents", "cinema", "presence", "admin"]);
    expect(adminTabsFor(ADMIN)).toEqual(["users", "security", "activity", "reference", "badges", "sync"]);
  });

  it("gives a recruiter talents, cinema and presence but no administration", () => {
    expect(sectionsFor(RECRUITER)).toEqual(["home", "talents", "cinema", "presence"]);
    expect(adminTabsFor(RECRUITER), "reference_view alone does not open the admin area").toEqual([]);
  });

  it("gives a presence officer presence only", () => {
    expect(sectionsFor(PRESENCE)).toEqual(["home", "presence"]);
  });

  it("gives a talent the home page only", () => {
    expect(sectionsFor(TALENT)).toEqual(["home"]);
  });

  it("opens the logs tabs to someone who may read logs but not users", () => {
    expect(adminTabsFor(["logs_view"])).toEqual(["security", "activity"]);
  });
});

describe("routes", () => {
  it("round-trips through the hash", () => {
    expect(parseRoute("#/admin/security")).toEqual({ section: "admin", tab: "security" });
    expect(routeHash({ section: "admin", tab: "security" })).toBe("#/admin/security");
    expect(parseRoute("#/talents")).toEqual({ section: "talents" });
    expect(parseRoute("")).toEqual({ section: "home" });
    expect(parseRoute("#/nowhere")).toEqual({ section: "home" });
  });

  it("opens the talent screens by address", () => {
    const cases: [string, unknown][] = [
      ["#/talents/new/general", { section: "talents", talent: { view: "new", kind: "general" } }],
      ["#/talents/new/cinema", { section: "talents", talent: { view: "new", kind: "cinema" } }],
      ["#/talents/SNF0042DKR", { section: "talents", talent: { view: "profile", id: "SNF0042DKR" } }],
      ["#/talents/0b9c-11ef/edit", { section: "talents", talent: { view: "edit", id: "0b9c-11ef" } }],
      ["#/talents/0b9c-11ef/edit/places", { section: "talents", talent: { view: "edit", id: "0b9c-11ef", step: "places" } }],
    ];
    for (const [hash, route] of cases) {
      expect(parseRoute(hash), hash).toEqual(route);
      expect(routeHash(parseRoute(hash)), "the address survives a round trip").toBe(hash);
    }
    expect(parseRoute("#/talents/new/other"), "an unknown kind shows the list").toEqual({ section: "talents" });
    expect(parseRoute("#/talents/<script>"), "ids are checked").toEqual({ section: "talents" });
  });

  it("keeps the wizard from roles that may not edit talents", () => {
    const viewer: Action[] = ["talents_view"];
    expect(resolveRoute({ section: "talents", talent: { view: "new", kind: "general" } }, viewer)).toEqual({ section: "talents" });
    expect(resolveRoute({ section: "talents", talent: { view: "edit", id: "x1" } }, viewer)).toEqual({ section: "talents", talent: { view: "profile", id: "x1" } });
    expect(resolveRoute({ section: "talents", talent: { view: "edit", id: "x1" } }, RECRUITER)).toEqual({ section: "talents", talent: { view: "edit", id: "x1" } });
  });

  it("opens the Sync screen to administrators only", () => {
    expect(parseRoute("#/admin/sync")).toEqual({ section: "admin", tab: "sync" });
    expect(routeHash({ section: "admin", tab: "sync" })).toBe("#/admin/sync");
    expect(resolveRoute({ section: "admin", tab: "sync" }, ADMIN)).toEqual({ section: "admin", tab: "sync" });
    expect(resolveRoute({ section: "admin", tab: "sync" }, ["logs_view", "sync_run"]), "syncing is not enrolling").toEqual({ section: "admin", tab: "security" });
  });

  it("sends a session away from what it may not open", () => {
    expect(resolveRoute({ section: "admin", tab: "users" }, RECRUITER)).toEqual({ section: "home" });
    expect(resolveRoute({ section: "cinema" }, PRESENCE)).toEqual({ section: "home" });
    expect(resolveRoute({ section: "admin" }, ADMIN)).toEqual({ section: "admin", tab: "users" });
    expect(resolveRoute({ section: "admin", tab: "users" }, ["logs_view"])).toEqual({ section: "admin", tab: "security" });
  });
});

describe("cinema routes", () => {
  it("opens the lists, a project, a production and the forms by address", () => {
    const cases: [string, unknown][] = [
      ["#/cinema/projects", { section: "cinema", cinema: { view: "projects" } }],
      ["#/cinema/projects/new", { section: "cinema", cinema: { view: "projectNew" } }],
      ["#/cinema/projects/SNFSI001", { section: "cinema", cinema: { view: "project", id: "SNFSI001" } }],
      ["#/cinema/projects/0b9c-11ef/edit", { section: "cinema", cinema: { view: "projectEdit", id: "0b9c-11ef" } }],
      ["#/cinema/productions", { section: "cinema", cinema: { view: "productions" } }],
      ["#/cinema/productions/new", { section: "cinema", cinema: { view: "productionNew" } }],
      ["#/cinema/productions/7f3a-42", { section: "cinema", cinema: { view: "production", id: "7f3a-42" } }],
    ];
    for (const [hash, route] of cases) {
      expect(parseRoute(hash), hash).toEqual(route);
      expect(routeHash(parseRoute(hash)), "the address survives a round trip").toBe(hash);
    }
  });

  it("shows the section's default list for a bare or unknown address", () => {
    expect(parseRoute("#/cinema")).toEqual({ section: "cinema" });
    expect(routeHash({ section: "cinema" })).toBe("#/cinema");
    expect(parseRoute("#/cinema/elsewhere"), "an unknown list").toEqual({ section: "cinema" });
    expect(parseRoute("#/cinema/projects/<b>"), "ids are checked").toEqual({ section: "cinema", cinema: { view: "projects" } });
  });

  it("keeps the cinema pages for those who manage cinema only", () => {
    const page = { section: "cinema" as const, cinema: { view: "project" as const, id: "p1" } };
    expect(resolveRoute(page, RECRUITER), "a recruiter opens the project").toEqual(page);
    expect(resolveRoute(page, PRESENCE), "a presence officer is sent home").toEqual({ section: "home" });
  });
});
