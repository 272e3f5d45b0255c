import { describe, expect, it } from "vitest";
import { filterOptions, fold, matchesWords, matchScore } from "./fold";

describe("accent-blind matching", () => {
  it("folds accents, case and African letters", () => {
    expect(fold("Fès")).toBe("fes");
    expect(fold("São Tomé-et-Príncipe")).toBe("sao tome-et-principe");
    expect(fold("Ŋgɔnɔ Kɔnɛ")).toBe("ngono kone");
    expect(fold("Ọládélé")).toBe("oladele");
    expect(fold("Côte d’Ivoire")).toBe("cote d’ivoire");
  });

  it("ranks a label starting with the query first, then word starts, then anywhere", () => {
    expect(matchScore("Sénégal", "sen")).toBeGreaterThan(matchScore("Guinée", "ne"));
    expect(matchScore("Afrique du Sud", "sud")).toBe(3);
    expect(matchScore("Côte d’Ivoire", "ivoire")).toBe(3);
    expect(matchScore("Bénin", "nin")).toBe(2);
    expect(matchScore("Bénin", "xyz")).toBe(0);
    expect(matchScore("Guinée-Bissau", "guineebissau")).toBeGreaterThan(0);
  });

  it("filters and orders options, keeping the list order among equals", () => {
    const countries = ["Maroc", "Mali", "Sénégal", "Cameroun", "Comores", "Mauritanie"];
    expect(filterOptions(countries, "ma", (c) => c)).toEqual(["Maroc", "Mali", "Mauritanie"]);
    expect(filterOptions(countries, "ro", (c) => c)).toEqual(["Maroc", "Cameroun"]);
    expect(filterOptions(countries, "comores", (c) => c)).toEqual(["Comores"]);
    expect(filterOptions(countries, "  ", (c) => c)).toEqual(countries);
    expect(filterOptions(countries, "SENE", (c) => c)).toEqual(["Sénégal"]);
  });

  it("matches every typed word anywhere in a text, in any order", () => {
    expect(matchesWords("Sunu Films Dakar, Sénégal", "senegal sunu")).toBe(true);
    expect(matchesWords("Sunu Films Dakar", "sunu abidjan")).toBe(false);
    expect(matchesWords("Sunu Films", "   "), "an empty filter keeps everything").toBe(true);
  });
});
