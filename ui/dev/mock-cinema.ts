//! The cinema section of the browser preview: a few productions and projects, rosters built from the fake
//! registry's talents, shooting days, and badge "PDFs" that only report progress. Enough to see every cinema screen.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Field = { field: string; message: string };

export type CinemaContext = {
  locale: () => "fr" | "en";
  requireUser: (action?: string) => any;
  fail: (code: string, message: string, fields?: Field[]) => never;
  /** The fake registry's get_talent. */
  talent: (idOrCode: string) => any;
  /** A few talent ids from the fake registry, to seed rosters. */
  someTalents: (n: number) => string[];
};

const STOP = new Set(["le", "la", "les", "l", "de", "du", "des", "d", "et", "the", "of", "and", "sa", "sarl", "ltd"]);
function initials(name: string): string {
  const words = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w));
  let out = words.map((w) => w[0]!.toUpperCase()).join("").slice(0, 3);
  const filler = words.flatMap((w) => [...w.slice(1)]);
  while (out.length < 3) out += (filler.shift() ?? "x").toUpperCase();
  return out;
}

export function installCinemaHandlers(ctx: CinemaContext): Record<string, (args: any) => unknown> {
  const required = () => (ctx.locale() === "en" ? "This field is required." : "Ce champ est obligatoire.");
  const now = () => new Date().toISOString();
  let seq = 1;
  const id = (p: string) => `${p}-${seq++}`;
  const productions: any[] = [];
  const projects: any[] = [];
  const days: any[] = [];
  const assignments: any[] = [];

  function production(input: any, existing?: any) {
    return {
      ...existing,
      ...input,
      id: existing?.id ?? id("prod"),
      initials: existing?.initials ?? initials(input.name),
      active: existing?.active ?? true,
      createdAt: existing?.createdAt ?? now(),
      updatedAt: now(),
    };
  }
  const productionDto = (p: any) => ({ ...p, projectCount: projects.filter((j) => j.productionId === p.id && !j.archived).length });
  function projectDto(p: any) {
    const prod = productions.find((x) => x.id === p.productionId);
    return {
      ...p,
      productionName: prod?.name ?? "",
      productionLogo: prod?.logo ?? null,
      talentCount: assignments.filter((a) => a.projectId === p.id && a.active).length,
      shootDayCount: days.filter((d) => d.projectId === p.id).length,
    };
  }
  function assignmentDto(a: any) {
    const t = ctx.talent(a.talentId);
    return { ...a, talentCode: t.code, firstName: t.firstName, lastName: t.lastName, photo: t.photo, photoThumb: t.photo };
  }
  const findProject = (key: string) => projects.find((p) => p.id === key || p.code === key) ?? ctx.fail("not_found", "Projet introuvable.");

  function checkProject(input: any): Field[] {
    const fields: Field[] = [];
    for (const f of ["name", "productionId", "originCountry", "startDate", "endDate"]) if (!String(input[f] ?? "").trim()) fields.push({ field: f, message: required() });
    if (!input.productionType) fields.push({ field: "productionType", message: required() });
    if (input.startDate && input.endDate && input.endDate < input.startDate)
      fields.push({ field: "endDate", message: ctx.locale() === "en" ? "The end comes before the start." : "La fin précède le début." });
    return fields;
  }

  // Seed: two productions, three projects, a roster.
  const sahel = production({ name: "Les Films du Sahel", logo: null, description: null, specialization: "Longs métrages, séries TV", address: "Route de Ngor", city: "Dakar", country: "SN", postalCode: null, phone: "+221338000000", email: "contact@filmsdusahel.sn", website: "https://filmsdusahel.sn", socials: {}, foundedYear: 1998, ceo: "Aminata Sow", employeeCount: 42, notableProductions: ["Le Fleuve"], services: ["Casting", "Production exécutive"], equipment: [], studios: ["Studio Ngor"], certifications: [], memberships: [], awards: ["Étalon de Yennenga 2019"], verified: true });
  const lagos = production({ name: "Lagos Picture Company", logo: null, description: null, specialization: "Publicité", address: null, city: "Lagos", country: "NG", postalCode: null, phone: null, email: null, website: null, socials: {}, foundedYear: 2011, ceo: null, employeeCount: null, notableProductions: [], services: [], equipment: [], studios: [], certifications: [], memberships: [], awards: [], verified: false });
  productions.push(sahel, lagos);
  const seedProject = (name: string, prod: any, type: string, start: string, end: string, status: string, n: number, archived = false) => {
    const p = { id: id("proj"), code: `${prod.country}${prod.initials}${String(n).padStart(3, "0")}`, codeProvisional: false, name, productionType: type, productionId: prod.id, originCountry: prod.country, locations: ["Dakar – Plateau", "Saint-Louis"], startDate: start, endDate: end, status, description: null, archived, createdAt: now(), updatedAt: now() };
    projects.push(p);
    return p;
  };
  const lumieres = seedProject("Les Lumières de Saint-Louis", sahel, "film", "2026-11-21", "2026-12-05", "preparation", 1);
  seedProject("Maman Lagos", lagos, "ad", "2026-10-02", "2026-10-04", "shooting", 1);
  seedProject("Le Fleuve — saison 2", sahel, "series", "2025-03-01", "2025-06-30", "finished", 2);
  for (const [i, call] of ["06:30", "07:00", "06:45"].entries())
    days.push({ id: id("day"), projectId: lumieres.id, day: `2026-11-${21 + i}`, callTime: call, location: i === 1 ? "Plage de Ngor" : "Saint-Louis, quai Roume", notes: null });
  const TYPES = ["lead_actor", "supporting_actor", "extra", "featured_extra"];
  // The roster needs the registry's talents, readable only once someone is signed in: seeded on first use.
  let seeded = false;
  function seedRoster() {
    if (seeded) return;
    seeded = true;
    for (const [i, talentId] of ctx.someTalents(6).entries()) {
      const issued = i < 3;
      assignments.push({ id: id("asg"), code: `${lumieres.code}${String(i + 1).padStart(3, "0")}`, codeProvisional: false, projectId: lumieres.id, talentId, talentType: TYPES[i % 4], role: i === 0 ? "Fatou, la pêcheuse" : i === 1 ? "Le griot" : null, active: true, badge: issued ? { id: id("bdg"), shortCode: `K7Q-${3 + i}XP`, validFrom: "2026-11-21", validUntil: "2026-12-05", issuedAt: now() } : null, createdAt: now() });
    }
  }

  const handlers: Record<string, (args: any) => unknown> = {
    list_productions({ includeInactive }) {
      ctx.requireUser("cinema_manage");
      return productions.filter((p) => includeInactive || p.active).map(productionDto);
    },
    get_production({ id: key }) {
      ctx.requireUser("talents_view");
      const p = productions.find((x) => x.id === key);
      if (!p) ctx.fail("not_found", "Production introuvable.");
      return productionDto(p);
    },
    create_production({ input }) {
      ctx.requireUser("cinema_manage");
      if (!input.name.trim()) ctx.fail("validation", required(), [{ field: "name", message: required() }]);
      const p = production(input);
      productions.push(p);
      return productionDto(p);
    },
    update_production({ id: key, input }) {
      ctx.requireUser("cinema_manage");
      if (!input.name.trim()) ctx.fail("validation", required(), [{ field: "name", message: required() }]);
      const i = productions.findIndex((p) => p.id === key);
      productions[i] = production(input, productions[i]);
      return productionDto(productions[i]);
    },
    set_production_active({ id: key, active }) {
      const p = productions.find((x) => x.id === key);
      p.active = active;
      return productionDto(p);
    },
    stage_logo() {
      return { hash: "logo-1", thumb: null, mime: "image/jpeg" };
    },
    list_projects({ filter }) {
      ctx.requireUser("presence_view");
      return projects.filter((p) => filter.includeArchived || !p.archived).map(projectDto);
    },
    get_project({ idOrCode }) {
      return projectDto(findProject(idOrCode));
    },
    create_project({ input }) {
      const fields = checkProject(input);
      if (fields.length) ctx.fail("validation", fields[0]!.message, fields);
      const prod = productions.find((x) => x.id === input.productionId);
      const n = projects.filter((p) => p.code.startsWith(`${input.originCountry}${prod.initials}`)).length + 1;
      const p = { ...input, id: id("proj"), code: `${input.originCountry}${prod.initials}${String(n).padStart(3, "0")}`, codeProvisional: false, status: input.status ?? "preparation", archived: false, createdAt: now(), updatedAt: now() };
      projects.push(p);
      return projectDto(p);
    },
    update_project({ id: key, input }) {
      const fields = checkProject(input);
      if (fields.length) ctx.fail("validation", fields[0]!.message, fields);
      const p = findProject(key);
      Object.assign(p, input, { updatedAt: now() });
      return projectDto(p);
    },
    set_project_archived({ id: key, archived }) {
      const p = findProject(key);
      p.archived = archived;
      return projectDto(p);
    },
    list_shoot_days({ project }) {
      const p = findProject(project);
      return days.filter((d) => d.projectId === p.id).sort((a, b) => a.day.localeCompare(b.day));
    },
    set_shoot_day({ project, input }) {
      const p = findProject(project);
      const fields: Field[] = [];
      if (!input.day) fields.push({ field: "day", message: required() });
      if (!input.callTime) fields.push({ field: "callTime", message: required() });
      if (fields.length) ctx.fail("validation", fields[0]!.message, fields);
      let d = days.find((x) => x.projectId === p.id && x.day === input.day);
      if (!d) days.push((d = { id: id("day"), projectId: p.id }));
      Object.assign(d, input);
      return d;
    },
    remove_shoot_day({ project, day }) {
      const p = findProject(project);
      const i = days.findIndex((x) => x.projectId === p.id && x.day === day);
      if (i >= 0) days.splice(i, 1);
      return null;
    },
    assign_talents({ project, input }) {
      const p = findProject(project);
      if (!input.talentType) ctx.fail("validation", required(), [{ field: "talentType", message: required() }]);
      const assigned: any[] = [];
      const already: any[] = [];
      for (const talentId of input.talentIds) {
        const found = assignments.find((a) => a.projectId === p.id && a.talentId === talentId);
        if (found?.active) {
          already.push(assignmentDto(found));
          continue;
        }
        const a = found ?? { id: id("asg"), code: `${p.code}${String(assignments.filter((x) => x.projectId === p.id).length + 1).padStart(3, "0")}`, codeProvisional: false, projectId: p.id, talentId, badge: null, createdAt: now() };
        Object.assign(a, { talentType: input.talentType, role: input.role, active: true });
        if (!found) assignments.push(a);
        assigned.push(assignmentDto(a));
      }
      return { assigned, alreadyAssigned: already };
    },
    update_assignment({ id: key, talentType, role }) {
      const a = assignments.find((x) => x.id === key);
      Object.assign(a, { talentType, role });
      return assignmentDto(a);
    },
    unassign_talent({ id: key }) {
      const a = assignments.find((x) => x.id === key);
      a.active = false;
      return assignmentDto(a);
    },
    project_roster({ project, includeRemoved }) {
      const p = findProject(project);
      return assignments.filter((a) => a.projectId === p.id && (includeRemoved || a.active)).map(assignmentDto);
    },
    talent_projects({ talent }) {
      const t = ctx.talent(talent);
      return assignments
        .filter((a) => a.talentId === t.id)
        .map((a) => {
          const p = projectDto(projects.find((x) => x.id === a.projectId));
          return { assignmentId: a.id, assignmentCode: a.code, projectId: p.id, projectCode: p.code, projectName: p.name, productionName: p.productionName, productionType: p.productionType, startDate: p.startDate, endDate: p.endDate, status: p.status, talentType: a.talentType, role: a.role, active: a.active };
        });
    },
    generate_badges({ project, assignmentIds, paper }) {
      ctx.requireUser("badges_print");
      const p = findProject(project);
      const roster = assignments.filter((a) => a.projectId === p.id && a.active && (!assignmentIds || assignmentIds.includes(a.id)));
      if (!roster.length) ctx.fail("conflict", ctx.locale() === "en" ? "Nobody is cast in this project yet." : "Personne n’est encore dans la distribution de ce projet.");
      for (const a of roster) a.badge = { id: id("bdg"), shortCode: `K7Q-${seq}XP`, validFrom: p.startDate, validUntil: p.endDate, issuedAt: now() };
      return { path: `/home/agence/.local/share/talento/exports/${p.code}-badges-${paper}.pdf`, badges: roster.length, pages: paper === "a4" ? Math.ceil(roster.length / 4) : roster.length };
    },
    cancel_badges: () => null,
    open_export: () => null,
    save_export_as: () => null,
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (args: any) => {
        ctx.requireUser();
        seedRoster();
        return handler(args);
      },
    ]),
  );
}
