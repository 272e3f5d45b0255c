//! The production and project forms as people fill them (text everywhere, days as JJ/MM/AAAA) and the inputs the
//! backend takes. What the UI can check alone (a number, a day that exists) is flagged here, keyed by the backend's
//! field names so the messages land under the same fields as the backend's own.
import { dayLabel, parseDay } from "../dates";
import type { ProductionDto, ProductionInput, ProductionType, ProjectDto, ProjectInput, ProjectStatus } from "../ipc";

export const PRODUCTION_TYPES: readonly ProductionType[] = ["film", "series", "ad", "clip", "documentary", "theatre", "other"];
export const PROJECT_STATUSES: readonly ProjectStatus[] = ["preparation", "shooting", "post_production", "finished", "cancelled"];
/** The networks a production is usually on (keys shared with the talents' list). */
export const PRODUCTION_SOCIALS = ["facebook", "instagram", "linkedin", "youtube", "x", "tiktok", "imdb"] as const;
/** The chip lists of the Activity section, in form order. */
export const PRODUCTION_LISTS = ["notableProductions", "services", "equipment", "studios", "certifications", "memberships", "awards"] as const;
export type ProductionList = (typeof PRODUCTION_LISTS)[number];

export type ProductionForm = {
  name: string;
  logo: string | null;
  description: string;
  specialization: string;
  foundedYear: string;
  ceo: string;
  employeeCount: string;
  verified: boolean;
  address: string;
  city: string;
  country: string | null;
  postalCode: string;
  phone: string;
  email: string;
  website: string;
  socials: Record<string, string>;
} & Record<ProductionList, string[]>;

export type LocalProblem = "badNumber" | "badDate";
export type Checked<T> = { input: T; problems: Record<string, LocalProblem> };

export function productionForm(p?: ProductionDto | null): ProductionForm {
  return {
    name: p?.name ?? "",
    logo: p?.logo ?? null,
    description: p?.description ?? "",
    specialization: p?.specialization ?? "",
    foundedYear: p?.foundedYear != null ? String(p.foundedYear) : "",
    ceo: p?.ceo ?? "",
    employeeCount: p?.employeeCount != null ? String(p.employeeCount) : "",
    verified: p?.verified ?? false,
    address: p?.address ?? "",
    city: p?.city ?? "",
    country: p?.country ?? null,
    postalCode: p?.postalCode ?? "",
    phone: p?.phone ?? "",
    email: p?.email ?? "",
    website: p?.website ?? "",
    socials: Object.fromEntries(Object.entries(p?.socials ?? {}).filter((e): e is [string, string] => typeof e[1] === "string")),
    notableProductions: [...(p?.notableProductions ?? [])],
    services: [...(p?.services ?? [])],
    equipment: [...(p?.equipment ?? [])],
    studios: [...(p?.studios ?? [])],
    certifications: [...(p?.certifications ?? [])],
    memberships: [...(p?.memberships ?? [])],
    awards: [...(p?.awards ?? [])],
  };
}

function text(s: string): string | null {
  const v = s.trim();
  return v ? v : null;
}

function whole(field: string, s: string, problems: Record<string, LocalProblem>): number | null {
  const v = s.replace(/[\s\u00a0\u202f]/g, "");
  if (!v) return null;
  if (!/^\d{1,9}$/.test(v)) {
    problems[field] = "badNumber";
    return null;
  }
  return Number(v);
}

export function productionInput(f: ProductionForm): Checked<ProductionInput> {
  const problems: Record<string, LocalProblem> = {};
  const socials: Record<string, string> = {};
  for (const [network, value] of Object.entries(f.socials)) {
    const v = value.trim();
    if (v) socials[network] = v;
  }
  const input: ProductionInput = {
    name: f.name.trim(),
    logo: f.logo,
    description: text(f.description),
    specialization: text(f.specialization),
    address: text(f.address),
    city: text(f.city),
    country: f.country,
    postalCode: text(f.postalCode),
    phone: text(f.phone),
    email: text(f.email),
    website: text(f.website),
    socials,
    foundedYear: whole("foundedYear", f.foundedYear, problems),
    ceo: text(f.ceo),
    employeeCount: whole("employeeCount", f.employeeCount, problems),
    notableProductions: f.notableProductions,
    services: f.services,
    equipment: f.equipment,
    studios: f.studios,
    certifications: f.certifications,
    memberships: f.memberships,
    awards: f.awards,
    verified: f.verified,
  };
  return { input, problems };
}

export type ProjectForm = {
  name: string;
  productionId: string | null;
  productionType: ProductionType | null;
  originCountry: string | null;
  locations: string[];
  startDate: string;
  endDate: string;
  status: ProjectStatus;
  description: string;
};

export function projectForm(p?: ProjectDto | null, productionId?: string | null): ProjectForm {
  return {
    name: p?.name ?? "",
    productionId: p?.productionId ?? productionId ?? null,
    productionType: p?.productionType ?? null,
    originCountry: p?.originCountry ?? null,
    locations: [...(p?.locations ?? [])],
    startDate: p ? dayLabel(p.startDate) : "",
    endDate: p ? dayLabel(p.endDate) : "",
    status: p?.status ?? "preparation",
    description: p?.description ?? "",
  };
}

function day(field: string, s: string, problems: Record<string, LocalProblem>): string {
  if (!s.trim()) return "";
  const iso = parseDay(s);
  if (!iso) problems[field] = "badDate";
  return iso ?? "";
}

export function projectInput(f: ProjectForm): Checked<ProjectInput> {
  const problems: Record<string, LocalProblem> = {};
  const input: ProjectInput = {
    name: f.name.trim(),
    productionType: f.productionType,
    productionId: f.productionId ?? "",
    originCountry: f.originCountry ?? "",
    locations: f.locations,
    startDate: day("startDate", f.startDate, problems),
    endDate: day("endDate", f.endDate, problems),
    status: f.status,
    description: text(f.description),
  };
  return { input, problems };
}
