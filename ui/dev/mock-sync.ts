//! Sync in the browser preview: enrollment against an imaginary server and a canned report. `&sync=` picks where
//! the laptop stands: none (default, not enrolled), enrolled, offline (the server never answers), revoked, update
//! (the server speaks another protocol). Any token of 8+ characters enrolls; "used" is refused as already used.
/* eslint-disable @typescript-eslint/no-explicit-any */

export type SyncContext = {
  locale: () => "fr" | "en";
  requireUser: (action?: string) => any;
  fail: (code: string, message: string, fields?: { field: string; message: string }[]) => never;
};

const MESSAGES = {
  unreachable: {
    fr: "Serveur injoignable : vérifiez la connexion. Rien n’est perdu ; les modifications attendent sur cet ordinateur.",
    en: "Server unreachable: check the connection. Nothing is lost; changes wait on this computer.",
  },
  revoked: {
    fr: "Cet ordinateur a été révoqué par un administrateur : ses données personnelles ont été effacées et il ne se synchronise plus.",
    en: "This computer was revoked by an administrator: its personal data was wiped and it no longer syncs.",
  },
  mismatch: {
    fr: "Cette version de l’application ne parle pas la même langue que le serveur : mettez l’application à jour pour synchroniser. Rien n’est perdu ; les modifications attendent sur cet ordinateur.",
    en: "This version of the app does not speak the server's sync protocol: update the app to sync again. Nothing is lost; changes wait on this computer.",
  },
  token: {
    fr: "Jeton d’enrôlement inconnu, déjà utilisé ou expiré : demandez-en un nouveau à l’administrateur.",
    en: "Unknown, used or expired enrollment token: ask the administrator for a new one.",
  },
  url: { fr: "Saisissez une adresse web valide.", en: "Enter a valid web address." },
} as const;

export function installSyncHandlers(ctx: SyncContext): Record<string, (args: any) => unknown> {
  const mode = new URLSearchParams(location.search).get("sync") ?? "none";
  const iso = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const msg = (key: keyof typeof MESSAGES) => MESSAGES[key][ctx.locale()];
  const report = (minutesAgo: number) => ({
    startedAt: iso(minutesAgo),
    finishedAt: iso(minutesAgo),
    pushed: 14,
    duplicates: 0,
    setAside: [{ seq: 212, table: "talents", rowId: "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", reason: "too_large", detail: "Fiche de 2,1 Mo (maximum 64 Ko)" }],
    pulled: 231,
    applied: 228,
    merges: [
      { table: "talents", rowId: "0193a1b2-11aa-7e4f-8a9b-0c1d2e3f4a5b", field: "phone", outcome: "remote_won" },
      { table: "talents", rowId: "0193a1b2-22bb-7e4f-8a9b-0c1d2e3f4a5b", field: "height_cm", outcome: "local_kept" },
    ],
    mergeCount: 2,
    flaggedDuplicateScans: 1,
    skipped: [],
    skippedCount: 0,
    leases: [{ scope: "general:SN", start: 101, endExcl: 201 }],
    codesFinalized: [{ table: "talents", rowId: "0193a1b2-33cc", provisional: "SNF~P0003DKR", code: "SNF0104DKR" }],
    errors: [] as string[],
  });
  const state = {
    enrolled: mode !== "none",
    revoked: mode === "revoked",
    serverUrl: mode === "none" ? null : "https://sync.sahel-casting.sn",
    agencyName: mode === "none" ? null : "Sahel Casting Productions",
    deviceId: "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b",
    databaseId: "0193a1b2-0000-7000-8000-000000000000",
    lastSyncAt: mode === "none" ? null : iso(mode === "offline" ? 95 : 3),
    changesWaiting: mode === "offline" ? 7 : mode === "enrolled" ? 0 : 2,
    provisionalCodes: mode === "offline" ? 1 : 0,
    lastReport: mode === "none" || mode === "revoked" ? null : (report(mode === "offline" ? 95 : 3) as any),
  };
  if (state.revoked) state.enrolled = false;

  return {
    sync_status() {
      ctx.requireUser("sync_run");
      return { ...state };
    },
    computer_name() {
      return "PC-BUREAU-DKR-01";
    },
    enroll_device({ serverUrl, token, deviceName }) {
      ctx.requireUser("settings_manage");
      if (!/^https?:\/\/\S+$/.test(String(serverUrl).trim())) ctx.fail("validation", msg("url"), [{ field: "serverUrl", message: msg("url") }]);
      if (String(token).trim() === "used") ctx.fail("token_invalid", msg("token"));
      if (!String(deviceName).trim()) ctx.fail("validation", "—", [{ field: "deviceName", message: "—" }]);
      Object.assign(state, { enrolled: true, revoked: false, serverUrl, agencyName: "Sahel Casting Productions", lastReport: null, lastSyncAt: null, changesWaiting: 12 });
      return { ...state };
    },
    async sync_now() {
      ctx.requireUser("sync_run");
      await new Promise((r) => setTimeout(r, 1500));
      if (mode === "offline") ctx.fail("server_unreachable", msg("unreachable"));
      if (mode === "update") ctx.fail("protocol_mismatch", msg("mismatch"));
      if (state.revoked) ctx.fail("device_revoked", msg("revoked"));
      const r = { ...report(0), pushed: state.changesWaiting };
      Object.assign(state, { lastReport: r, lastSyncAt: r.finishedAt, changesWaiting: 0 });
      return r;
    },
  };
}
