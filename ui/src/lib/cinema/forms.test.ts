import { describe, expect, it } from "vitest";
import { productionForm, productionInput, projectForm, projectInput } from "./forms";

describe("production form", () => {
  it("sends empty fields as absent and numbers as numbers", () => {
    const f = productionForm();
    f.name = "  Les Films du Sahel ";
    f.foundedYear = "1998";
    f.employeeCount = "1 200";
    f.socials = { facebook: " https://facebook.com/filmsdusahel ", instagram: "  " };
    f.services = ["Casting"];
    const { input, problems } = productionInput(f);
    expect(problems).toEqual({});
    expect(input.name).toBe("Les Films du Sahel");
    expect(input.description, "an empty field is not sent as an empty string").toBeNull();
    expect(input.foundedYear).toBe(1998);
    expect(input.employeeCount, "spaces of French thousands are ignored").toBe(1200);
    expect(input.socials, "blank networks are dropped").toEqual({ facebook: "https://facebook.com/filmsdusahel" });
    expect(input.services).toEqual(["Casting"]);
  });

  it("flags a number that is not one under its field", () => {
    const f = productionForm();
    f.foundedYear = "vers 1990";
    expect(productionInput(f).problems).toEqual({ foundedYear: "badNumber" });
  });
});

describe("project form", () => {
  it("turns typed days into ISO days and keeps the chosen values", () => {
    const f = projectForm(null, "prod-1");
    Object.assign(f, { name: "Les Lumières", productionType: "film", originCountry: "SN", startDate: "21/11/2026", endDate: "05/12/2026" });
    const { input, problems } = projectInput(f);
    expect(problems).toEqual({});
    expect(input).toMatchObject({ productionId: "prod-1", startDate: "2026-11-21", endDate: "2026-12-05", status: "preparation" });
  });

  it("leaves an empty day to the backend (required) and flags one that does not exist", () => {
    const f = projectForm();
    f.endDate = "31/02/2026";
    const { input, problems } = projectInput(f);
    expect(input.startDate).toBe("");
    expect(problems).toEqual({ endDate: "badDate" });
  });
});
