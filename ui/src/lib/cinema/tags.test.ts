import { describe, expect, it } from "vitest";
import { addTags } from "./tags";

describe("chip lists", () => {
  it("splits what is typed and tidies each entry", () => {
    expect(addTags([], " Dakar – Plateau ;Saint-Louis,\n  Gorée ")).toEqual(["Dakar – Plateau", "Saint-Louis", "Gorée"]);
  });

  it("does not repeat an entry, whatever its accents or case", () => {
    expect(addTags(["Gorée"], "goree, GORÉE, Thiès")).toEqual(["Gorée", "Thiès"]);
  });

  it("ignores empty pieces and stops at the maximum", () => {
    expect(addTags(["a"], ",,  ,")).toEqual(["a"]);
    expect(addTags(["a", "b"], "c, d", 3)).toEqual(["a", "b", "c"]);
  });
});
