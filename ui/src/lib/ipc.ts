//! The only door to the Rust backend. Screens call `ipc.*`: each returns the data or throws an
//! IpcError carrying the backend's AppError (message already translated by Rust). When any call
//! says the session is gone, the handler registered with onSessionLost runs first.
import {
  commands,
  events,
  type AssignInput,
  type BulkCheckInput,
  type ScanMethod,
  type BadgePaper,
  type BadgeProgress,
  type ProductionInput,
  type ProjectFilter,
  type ProjectInput,
  type ShootDayInput,
  type AppError,
  type ErrorCode,
  type FirstRunInput,
  type Locale,
  type CropInput,
  type NewUserInput,
  type PhotoUse,
  type Result,
  type TalentInput,
  type TalentKind,
  type TalentQuery,
} from "./bindings";
import { save } from "@tauri-apps/plugin-dialog";

export type * from "./bindings";

export class IpcError extends Error {
  /** True when the bridge itself failed (no AppError came back): the message is technical. */
  readonly fromBridge: boolean;

  constructor(
    readonly error: AppError,
    fromBridge = false,
  ) {
    super(error.message);
    this.name = "IpcError";
    this.fromBridge = fromBridge;
  }

  get code(): ErrorCode {
    return this.error.code;
  }

  /** Per-field messages, keyed by field name (first message wins). */
  get fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.error.fields ?? []) out[f.field] ??= f.message;
    return out;
  }
}

const SESSION_LOST: readonly ErrorCode[] = ["session_expired", "not_authenticated"];

let sessionLost: ((error: AppError) => void) | null = null;

/** Registers what happens when any call reports that the session is over. */
export function onSessionLost(handler: ((error: AppError) => void) | null): void {
  sessionLost = handler;
}

function isAppError(value: unknown): value is AppError {
  return !!value && typeof value === "object" && "code" in value && "message" in value;
}

function bridgeError(cause: unknown): IpcError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new IpcError({ code: "internal", message, fields: [], retryAfterSecs: null }, true);
}

async function unwrap<T>(call: () => Promise<Result<T, AppError>>): Promise<T> {
  let result: Result<T, AppError>;
  try {
    result = await call();
  } catch (cause) {
    throw bridgeError(cause);
  }
  if (result.status === "ok") return result.data;
  if (!isAppError(result.error)) throw bridgeError(result.error);
  const error: AppError = { ...result.error, fields: result.error.fields ?? [] };
  if (SESSION_LOST.includes(error.code)) sessionLost?.(error);
  throw new IpcError(error);
}

export const ipc = {
  appStatus: () => unwrap(() => commands.appStatus()),
  setLocale: (locale: Locale) => unwrap(() => commands.setLocale(locale)),
  firstRun: (input: FirstRunInput) => unwrap(() => commands.firstRun(input)),
  login: (identifier: string, password: string) => unwrap(() => commands.login(identifier, password)),
  logout: () => unwrap(() => commands.logout()),
  sessionStatus: () => unwrap(() => commands.sessionStatus()),
  touchSession: () => unwrap(() => commands.touchSession()),
  changePassword: (current: string, newPassword: string) =>
    unwrap(() => commands.changePassword(current, newPassword)),
  listUsers: () => unwrap(() => commands.listUsers()),
  createUser: (input: NewUserInput) => unwrap(() => commands.createUser(input)),
  setUserActive: (userId: string, active: boolean, newPassword: string | null = null) =>
    unwrap(() => commands.setUserActive(userId, active, newPassword)),
  resetPassword: (userId: string, newPassword: string) => unwrap(() => commands.resetPassword(userId, newPassword)),
  unlockUser: (userId: string) => unwrap(() => commands.unlockUser(userId)),
  listSecurityLog: (limit: number) => unwrap(() => commands.listSecurityLog(limit)),
  listActivityLog: (limit: number) => unwrap(() => commands.listActivityLog(limit)),
  referenceSummary: () => unwrap(() => commands.referenceSummary()),
  referenceLists: () => unwrap(() => commands.referenceLists()),
  consentText: () => unwrap(() => commands.consentText()),
  registerTalent: (input: TalentInput) => unwrap(() => commands.registerTalent(input)),
  updateTalent: (id: string, input: TalentInput) => unwrap(() => commands.updateTalent(id, input)),
  getTalent: (idOrCode: string) => unwrap(() => commands.getTalent(idOrCode)),
  searchTalents: (query: TalentQuery) => unwrap(() => commands.searchTalents(query)),
  setTalentActive: (id: string, active: boolean) => unwrap(() => commands.setTalentActive(id, active)),
  eraseTalent: (id: string) => unwrap(() => commands.eraseTalent(id)),
  talentHistory: (id: string) => unwrap(() => commands.talentHistory(id)),
  saveDraft: (kind: TalentKind, body: string) => unwrap(() => commands.saveDraft(kind, body)),
  loadDraft: (kind: TalentKind) => unwrap(() => commands.loadDraft(kind)),
  discardDraft: (kind: TalentKind) => unwrap(() => commands.discardDraft(kind)),
  stagePhoto: (dataBase64: string, crop: CropInput | null, usage: PhotoUse) =>
    unwrap(() => commands.stagePhoto(dataBase64, crop, usage)),
  stageCv: (dataBase64: string) => unwrap(() => commands.stageCv(dataBase64)),
  readCv: (hash: string) => unwrap(() => commands.readCv(hash)),
  exportCv: (hash: string, destination: string) => unwrap(() => commands.exportCv(hash, destination)),
  talentQrSvg: (idOrCode: string) => unwrap(() => commands.talentQrSvg(idOrCode)),
  listProductions: (includeInactive: boolean) => unwrap(() => commands.listProductions(includeInactive)),
  getProduction: (id: string) => unwrap(() => commands.getProduction(id)),
  createProduction: (input: ProductionInput) => unwrap(() => commands.createProduction(input)),
  updateProduction: (id: string, input: ProductionInput) => unwrap(() => commands.updateProduction(id, input)),
  setProductionActive: (id: string, active: boolean) => unwrap(() => commands.setProductionActive(id, active)),
  stageLogo: (dataBase64: string) => unwrap(() => commands.stageLogo(dataBase64)),
  agencyLogo: () => unwrap(() => commands.agencyLogo()),
  setAgencyLogo: (dataBase64: string | null) => unwrap(() => commands.setAgencyLogo(dataBase64)),
  listSigningKeys: () => unwrap(() => commands.listSigningKeys()),
  rotateSigningKey: () => unwrap(() => commands.rotateSigningKey()),
  revokeSigningKey: (keyId: number) => unwrap(() => commands.revokeSigningKey(keyId)),
  listProjects: (filter: ProjectFilter) => unwrap(() => commands.listProjects(filter)),
  getProject: (idOrCode: string) => unwrap(() => commands.getProject(idOrCode)),
  createProject: (input: ProjectInput) => unwrap(() => commands.createProject(input)),
  updateProject: (id: string, input: ProjectInput) => unwrap(() => commands.updateProject(id, input)),
  setProjectArchived: (id: string, archived: boolean) => unwrap(() => commands.setProjectArchived(id, archived)),
  listShootDays: (project: string) => unwrap(() => commands.listShootDays(project)),
  setShootDay: (project: string, input: ShootDayInput) => unwrap(() => commands.setShootDay(project, input)),
  removeShootDay: (project: string, day: string) => unwrap(() => commands.removeShootDay(project, day)),
  assignTalents: (project: string, input: AssignInput) => unwrap(() => commands.assignTalents(project, input)),
  updateAssignment: (id: string, talentType: string, role: string | null) =>
    unwrap(() => commands.updateAssignment(id, talentType, role)),
  unassignTalent: (id: string) => unwrap(() => commands.unassignTalent(id)),
  projectRoster: (project: string, includeRemoved = false) => unwrap(() => commands.projectRoster(project, includeRemoved)),
  talentProjects: (talent: string) => unwrap(() => commands.talentProjects(talent)),
  generateBadges: (project: string, assignmentIds: string[] | null, paper: BadgePaper, reissue: boolean) =>
    unwrap(() => commands.generateBadges(project, assignmentIds, paper, reissue)),
  cancelBadges: () => unwrap(() => commands.cancelBadges()),
  openExport: (path: string) => unwrap(() => commands.openExport(path)),
  saveExportAs: (path: string, destination: string) => unwrap(() => commands.saveExportAs(path, destination)),
  scanBadge: (project: string, token: string, method: ScanMethod) => unwrap(() => commands.scanBadge(project, token, method)),
  admitOffRoster: (project: string, badge: string, reason: string) => unwrap(() => commands.admitOffRoster(project, badge, reason)),
  manualCheck: (project: string, talent: string) => unwrap(() => commands.manualCheck(project, talent)),
  bulkCheck: (project: string, input: BulkCheckInput) => unwrap(() => commands.bulkCheck(project, input)),
  correctScan: (eventId: string, newTime: string | null, reason: string) => unwrap(() => commands.correctScan(eventId, newTime, reason)),
  dayAttendance: (project: string, day: string) => unwrap(() => commands.dayAttendance(project, day)),
  talentAttendance: (talent: string) => unwrap(() => commands.talentAttendance(talent)),
  exportAttendance: (project: string, from: string, to: string) => unwrap(() => commands.exportAttendance(project, from, to)),
  signinSheet: (project: string, day: string) => unwrap(() => commands.signinSheet(project, day)),
  syncStatus: () => unwrap(() => commands.syncStatus()),
  enrollDevice: (serverUrl: string, token: string, deviceName: string) =>
    unwrap(() => commands.enrollDevice(serverUrl, token, deviceName)),
  syncNow: () => unwrap(() => commands.syncNow()),
  computerName: async (): Promise<string | null> => {
    try {
      return await commands.computerName();
    } catch (cause) {
      throw bridgeError(cause);
    }
  },
};

/** Follows the layout of a badge PDF; call the returned function to stop listening. */
export async function onBadgeProgress(handler: (progress: BadgeProgress) => void): Promise<() => void> {
  try {
    return await events.badgeProgress.listen((e) => handler(e.payload));
  } catch (cause) {
    throw bridgeError(cause);
  }
}

/**
 * Asks, with the system's save dialog, where to write a file; null when the person cancels. The path goes back to
 * Rust (e.g. exportCv), which writes the file: the web view itself has no file system access.
 */
export async function chooseSavePath(defaultPath: string, filters: { name: string; extensions: string[] }[]): Promise<string | null> {
  try {
    return await save({ defaultPath, filters });
  } catch (cause) {
    throw bridgeError(cause);
  }
}

type PreviewHooks = { __talentoMockPhotoUrl?: (hash: string, thumbnail: boolean) => string };

/** The URL of a stored photo for an <img>, served decrypted by the app's `photo://` protocol. */
export function photoUrl(hash: string, thumbnail = false): string {
  // The browser preview (npm run dev:mock) has no photo:// protocol: its fake backend hands out the images.
  // This branch is removed from real builds, whose mode is never "preview-mock".
  if (import.meta.env.MODE === "preview-mock") {
    const hook = (globalThis as PreviewHooks).__talentoMockPhotoUrl;
    if (hook) return hook(hash, thumbnail);
  }
  const base = navigator.userAgent.includes("Windows") ? "http://photo.localhost/" : "photo://localhost/";
  return `${base}${hash}${thumbnail ? "?thumb" : ""}`;
}
