import { describe, expect, it } from "vitest";
import { buildQuery, chipsOf, emptyFilters, hasFilters, parseAge, queryKey, setFilter, type Filters } from "./query";

const skillCategory = (skill: string) => ({ "general:singing": "general:music", "cinema:stage_combat": "cinema:physical_sports" })[skill] ?? null;

describe("filters → TalentQuery", () => {
  it("sends nothing but the defaults when nothing is set", () => {
    const q = buildQuery("  ", emptyFilters(), "relevance", 0, 100);
    expect(q).toMatchObject({ text: null, kind: null, languages: [], hasPhoto: null, includeInactive: false, offset: 0, limit: 100 });
  });

  it("carries the text, the page and every filter", () => {
    let f = emptyFilters();
    f = setFilter(f, "kind", "cinema");
    f = setFilter(f, "residenceCountry", "SN");
    f = setFilter(f, "residenceCity", "DKR");
    f = { ...f, ageMin: "18", ageMax: " 35 ", languages: ["wolof", "french"], hasCv: true, eyeColor: "brown" };
    const q = buildQuery(" Aïssatou ", f, "name", 300, 100);
    expect(q).toMatchObject({
      text: "Aïssatou", kind: "cinema", residenceCountry: "SN", residenceCity: "DKR", ageMin: 18, ageMax: 35,
      languages: ["wolof", "french"], hasCv: true, eyeColor: "brown", sort: "name", offset: 300, limit: 100,
    });
  });

  it("ignores ages that are not whole years and caps the page size", () => {
    expect(parseAge("abc")).toBeNull();
    expect(parseAge("200")).toBeNull();
    expect(parseAge("0")).toBe(0);
    expect(buildQuery("", { ...emptyFilters(), ageMin: "-3" }, "name", 0, 5000)).toMatchObject({ ageMin: null, limit: 500 });
  });

  it("clears what depended on a changed filter", () => {
    let f = setFilter(emptyFilters(), "originCountry", "SN");
    f = setFilter(f, "originCity", "DKR");
    expect(setFilter(f, "originCountry", "ML").originCity, "a city of another country").toBeNull();
    expect(setFilter(f, "originCountry", "SN").originCity, "same country, same city").toBe("DKR");

    let g = setFilter(emptyFilters(), "skill", "general:singing", skillCategory);
    expect(g.category, "choosing a talent selects its category").toBe("general:music");
    g = setFilter(g, "category", "general:dance", skillCategory);
    expect(g.skill).toBeNull();

    let h: Filters = { ...emptyFilters(), category: "cinema:physical_sports", skill: "cinema:stage_combat", talentType: "extra", hairType: "curly" };
    h = setFilter(h, "kind", "general");
    expect(h).toMatchObject({ kind: "general", category: null, skill: null, talentType: null, hairType: null });
  });

  it("gives the same key to the same question", () => {
    const f = { ...emptyFilters(), languages: ["wolof"] };
    expect(queryKey("awa", f, "name")).toBe(queryKey("awa ", { ...f }, "name"));
    expect(queryKey("awa", f, "name")).not.toBe(queryKey("awa", f, "code"));
  });
});

describe("active filter chips", () => {
  it("lists one chip per active filter, in the panel's order", () => {
    const f = { ...emptyFilters(), kind: "general" as const, residenceCountry: "SN", residenceCity: "DKR", languages: ["wolof", "french"], ageMin: "20", hasPhoto: false, includeInactive: true };
    expect(chipsOf(f).map((c) => c.id)).toEqual([
      "kind:general", "residenceCountry:SN", "residenceCity:DKR", "age", "language:wolof", "language:french", "hasPhoto", "includeInactive",
    ]);
    expect(hasFilters(f)).toBe(true);
    expect(hasFilters(emptyFilters())).toBe(false);
  });

  it("removes a chip and what hangs on it", () => {
    const f = { ...emptyFilters(), residenceCountry: "SN", residenceCity: "DKR", languages: ["wolof", "french"], category: "general:music", skill: "general:singing" };
    const chips = chipsOf(f);
    const byId = (id: string) => chips.find((c) => c.id === id)!;
    expect(byId("residenceCountry:SN").remove(f)).toMatchObject({ residenceCountry: null, residenceCity: null });
    expect(byId("language:wolof").remove(f).languages).toEqual(["french"]);
    expect(byId("category:general:music").remove(f)).toMatchObject({ category: null, skill: null });
    expect(chipsOf({ ...emptyFilters(), ageMin: "", ageMax: "40" })[0]).toMatchObject({ id: "age", value: "-40" });
  });
});
