import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POLL_EVERY_MS, Throttle, TOUCH_EVERY_MS, watchSession } from "./idle";
import type { SessionDto } from "./ipc";

const SESSION: SessionDto = {
  userId: "u1", name: "Awa Ndiaye", email: "awa@agence.sn", code: "ADM-7K3QX", role: "admin",
  permissions: ["users_view"], idleTimeoutSecs: 900,
};

describe("Throttle", () => {
  it("lets one call through per interval", () => {
    const th = new Throttle(30_000, 0);
    expect(th.take(10_000)).toBe(false);
    expect(th.take(30_000)).toBe(true);
    expect(th.take(59_999)).toBe(false);
    expect(th.take(60_000)).toBe(true);
  });

  it("lets the very first call through when started long ago", () => {
    expect(new Throttle(30_000).take(0)).toBe(true);
  });
});

describe("watchSession", () => {
  let target: EventTarget;
  let clock: number;

  beforeEach(() => {
    vi.useFakeTimers();
    target = new EventTarget();
    clock = 1_000_000;
  });
  afterEach(() => vi.useRealTimers());

  function start(status: () => Promise<SessionDto | null> = async () => SESSION) {
    const touch = vi.fn(async () => null);
    const statusSpy = vi.fn(status);
    const onExpired = vi.fn();
    const stop = watchSession({ touch, status: statusSpy, onExpired, target, now: () => clock });
    return { touch, status: statusSpy, onExpired, stop };
  }

  it("hands a session changed under the UI (a new role from a sync) to the shell, once", async () => {
    let shown = SESSION;
    const demoted = { ...SESSION, role: "recruiter" as const, permissions: ["talents_view"] as SessionDto["permissions"] };
    const onChanged = vi.fn((s: SessionDto) => (shown = s));
    const stop = watchSession({
      touch: async () => null,
      status: async () => demoted,
      onExpired: vi.fn(),
      onChanged,
      current: () => shown,
      target,
      now: () => clock,
    });
    await vi.advanceTimersByTimeAsync(POLL_EVERY_MS);
    expect(onChanged).toHaveBeenCalledWith(demoted);
    await vi.advanceTimersByTimeAsync(POLL_EVERY_MS);
    expect(onChanged, "nothing new at the next poll").toHaveBeenCalledTimes(1);
    stop();
  });

  it("reports input at most once per 30 s, counting login as the first activity", () => {
    const { touch, stop } = start();
    target.dispatchEvent(new Event("keydown"));
    expect(touch, "just logged in: no need to touch yet").not.toHaveBeenCalled();

    clock += TOUCH_EVERY_MS;
    target.dispatchEvent(new Event("pointerdown"));
    target.dispatchEvent(new Event("keydown"));
    clock += 5_000;
    target.dispatchEvent(new Event("keydown"));
    expect(touch, "a burst of typing is one touch").toHaveBeenCalledTimes(1);

    clock += TOUCH_EVERY_MS;
    target.dispatchEvent(new Event("keydown"));
    expect(touch).toHaveBeenCalledTimes(2);
    stop();
  });

  it("polls every 15 s without counting as activity", async () => {
    const { touch, status, stop } = start();
    await vi.advanceTimersByTimeAsync(POLL_EVERY_MS * 3);
    expect(status).toHaveBeenCalledTimes(3);
    expect(touch, "polling must not keep an idle session alive").not.toHaveBeenCalled();
    stop();
  });

  it("ends the session once when the backend answers null", async () => {
    const { onExpired, status, stop } = start(async () => null);
    await vi.advanceTimersByTimeAsync(POLL_EVERY_MS);
    expect(onExpired).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(POLL_EVERY_MS * 2);
    expect(onExpired, "expiry is reported once, then the watch stands down").toHaveBeenCalledTimes(1);
    expect(status).toHaveBeenCalledTimes(1);
    stop();
  });

  it("checks at once when the window regains focus", async () => {
    const { status, stop } = start();
    target.dispatchEvent(new Event("focus"));
    await vi.advanceTimersByTimeAsync(0);
    expect(status).toHaveBeenCalledTimes(1);
    stop();
  });

  it("keeps polling after a failed poll", async () => {
    let calls = 0;
    const { onExpired, stop } = start(async () => {
      calls++;
      if (calls === 1) throw new Error("bridge hiccup");
      return null;
    });
    await vi.advanceTimersByTimeAsync(POLL_EVERY_MS * 2);
    expect(onExpired).toHaveBeenCalledTimes(1);
    stop();
  });

  it("stops listening and polling when stopped", async () => {
    const { touch, status, stop } = start();
    stop();
    clock += TOUCH_EVERY_MS * 2;
    target.dispatchEvent(new Event("keydown"));
    await vi.advanceTimersByTimeAsync(POLL_EVERY_MS * 2);
    expect(touch).not.toHaveBeenCalled();
    expect(status).not.toHaveBeenCalled();
  });
});
