//! Where the application is: starting, broken at start-up, first run, login or the shell, plus
//! the backend's status and the current session.
import { setUiLocale } from "./i18n/index.svelte";
import { ipc, IpcError, onSessionLost, type AppError, type AppStatus, type SessionDto } from "./ipc";
import { navigate, rememberedRoute } from "./router.svelte";
import { resolveRoute, type Route } from "./nav";

export type Phase = "loading" | "startup-error" | "first-run" | "login" | "shell";
export type LoginNotice = "expired" | "loggedOut" | null;

class AppState {
  phase = $state<Phase>("loading");
  status = $state<AppStatus | null>(null);
  session = $state<SessionDto | null>(null);
  startupError = $state<AppError | null>(null);
  loginNotice = $state<LoginNotice>(null);

  get agencyName(): string | null {
    return this.status?.agencyName ?? null;
  }

  async boot(): Promise<void> {
    this.phase = "loading";
    try {
      const status = await ipc.appStatus();
      this.status = status;
      setUiLocale(status.locale);
      if (!status.initialized) {
        this.phase = "first-run";
      } else if (status.session) {
        // A reload with a live session: come back to the screen that was open.
        this.enterShell(status.session, rememberedRoute());
      } else {
        this.phase = "login";
      }
    } catch (e) {
      this.startupError =
        e instanceof IpcError
          ? e.error
          : { code: "internal", message: String(e), fields: [], retryAfterSecs: null };
      this.phase = "startup-error";
    }
  }

  /** After first run, login or a reload with a live session. */
  enterShell(session: SessionDto, route: Route = { section: "home" }): void {
    this.session = session;
    this.loginNotice = null;
    if (this.status) this.status = { ...this.status, initialized: true, session };
    navigate(resolveRoute(route, session.permissions), true);
    this.phase = "shell";
  }

  /** The backend's session changed (a sync brought a new role or name): the shell follows, and a screen the new
   * rights do not open is corrected in place. */
  updateSession(session: SessionDto): void {
    if (this.phase !== "shell") return;
    this.session = session;
    if (this.status) this.status = { ...this.status, session };
  }

  /** First run also names the agency. */
  setAgencyName(name: string): void {
    if (this.status) this.status = { ...this.status, agencyName: name };
  }

  /** The backend ended the session (idle timeout, or any call answered session_expired). */
  expire(): void {
    if (this.phase !== "shell") return;
    this.session = null;
    this.loginNotice = "expired";
    this.phase = "login";
  }

  async logout(): Promise<void> {
    try {
      await ipc.logout();
    } catch {
      // the session is closed on this side either way
    }
    this.session = null;
    this.loginNotice = "loggedOut";
    this.phase = "login";
  }
}

export const app = new AppState();

onSessionLost(() => app.expire());
