import { describe, expect, it } from "vitest";
import { badgeState, progressPercent } from "./format";

describe("badges", () => {
  it("tells a valid badge from an expired one, the last day included", () => {
    expect(badgeState(null, "2026-11-21")).toBe("none");
    expect(badgeState({ validUntil: "2026-11-21" }, "2026-11-21")).toBe("valid");
    expect(badgeState({ validUntil: "2026-11-20T23:00:00Z" }, "2026-11-21")).toBe("expired");
  });

  it("turns progress into a bounded percentage", () => {
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(5, 3)).toBe(100);
  });
});
