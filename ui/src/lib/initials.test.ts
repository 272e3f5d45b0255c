import { describe, expect, it } from "vitest";
import { initials } from "./initials";

describe("avatar initials", () => {
  it("takes the first letters of the first and last names", () => {
    expect(initials("Aminata Diallo")).toBe("AD");
    expect(initials("Awa")).toBe("A");
    expect(initials("Jean-Baptiste Kouassi Yao")).toBe("JY");
  });

  it("keeps letters with combining marks whole and upper-cases them", () => {
    expect(initials("ọlá adébáyọ̀")).toBe("ỌA");
    expect(initials("ŋgɔnɔ kɔnɛ")).toBe("ŊK");
  });

  it("skips leading punctuation and copes with empty names", () => {
    expect(initials("Héloïse N’Guessan")).toBe("HN");
    expect(initials("  ")).toBe("?");
  });
});
