//! A sync report's typed entries in the person's language: the core reports reasons and issues with their
//! parameters, never text, and this is the one place that words them.
import { t, tOr } from "../i18n/index.svelte";
import type { ReportIssue, SkipReason } from "../ipc";

/** Why the last sync stopped, or a part of it that did not happen. */
export function issueText(issue: ReportIssue): string {
  switch (issue.kind) {
    case "refused":
      return t("syncScreen.issues.refused", { code: issue.code });
    case "scopeExhausted":
    case "leaseRefused":
      return t(`syncScreen.issues.${issue.kind}`, { scope: issue.scope });
    case "codeStaysProvisional":
      return t("syncScreen.issues.codeStaysProvisional", { code: issue.code });
    default:
      return t(`syncScreen.issues.${issue.kind}`);
  }
}

/** Why a received change, or part of it, was not applied. */
export function skipText(reason: SkipReason): string {
  if (reason.kind === "unknownColumns") {
    return t("syncScreen.skipReasons.unknownColumns", { columns: reason.columns.join(", ") });
  }
  return t(`syncScreen.skipReasons.${reason.kind}`);
}

/** Why the server set a change aside (the protocol's code; a code from a newer server shows as it is). */
export function setAsideText(reason: string): string {
  return tOr(`syncScreen.setAsideReasons.${reason}`, reason);
}
