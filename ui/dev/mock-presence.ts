//! The presence gate in the browser preview: scans recorded in memory against the fake cinema rosters. Any token-like
//! text (100+ characters) scans the next talent of the day in turn, so the gate can be tried without a badge; a
//! short code or a talent code checks that talent by hand. Exports only report a path.
/* eslint-disable @typescript-eslint/no-explicit-any */

export type PresenceContext = {
  locale: () => "fr" | "en";
  requireUser: (action?: string) => any;
  fail: (code: string, message: string) => never;
  /** Another command of the preview (get_project, project_roster, list_shoot_days, get_talent). */
  call: (cmd: string, args: any) => any;
};

type Event = { id: string; kind: "in" | "out" | "correction"; at: string; talentId: string; corrects?: string; correctedAt?: string | null; reason?: string | null };

export function installPresenceHandlers(ctx: PresenceContext): Record<string, (args: any) => unknown> {
  const events = new Map<string, Event[]>(); // by `${projectId}|${day}`
  let seq = 1;
  let turn = 0;
  const today = () => new Date().toISOString().slice(0, 10);
  const hm = (iso: string) => new Date(iso).toTimeString().slice(0, 5);
  const fr = () => ctx.locale() === "fr";

  function dayOf(projectId: string, day: string) {
    const key = `${projectId}|${day}`;
    if (!events.has(key)) events.set(key, []);
    return events.get(key)!;
  }

  function state(list: Event[], talentId: string) {
    const mine = list.filter((e) => e.talentId === talentId);
    const fixes = new Map(mine.filter((e) => e.kind === "correction").map((e) => [e.corrects!, e.correctedAt ?? null]));
    const live = mine.filter((e) => e.kind !== "correction").map((e) => ({ ...e, effective: fixes.has(e.id) ? fixes.get(e.id)! : e.at }));
    const ins = live.filter((e) => e.kind === "in" && e.effective).map((e) => e.effective!);
    const outs = live.filter((e) => e.kind === "out" && e.effective).map((e) => e.effective!);
    return { mine, live, ins, outs, last: live.filter((e) => e.effective).map((e) => e.at).sort().pop() ?? null };
  }

  function lines(projectId: string, day: string) {
    const roster = ctx.call("project_roster", { project: projectId, includeRemoved: false }) as any[];
    const list = dayOf(projectId, day);
    const call = (ctx.call("list_shoot_days", { project: projectId }) as any[]).find((d) => d.day === day)?.callTime ?? null;
    const over = day < today();
    return roster.map((a) => {
      const s = state(list, a.talentId);
      const firstIn = s.ins.sort()[0] ?? null;
      const lastOut = s.outs.sort().pop() ?? null;
      const late = !!(firstIn && call && hm(firstIn) > call);
      return {
        talentId: a.talentId, talentCode: a.talentCode, firstName: a.firstName, lastName: a.lastName, photo: a.photo, photoThumb: a.photoThumb,
        assignmentId: a.id, assignmentCode: a.code, role: a.role, talentType: a.talentType, talentTypeLabel: a.talentType, onRoster: true,
        status: !firstIn ? (over ? "absent" : "expected") : lastOut ? "left" : "present",
        firstIn, firstInTime: firstIn ? hm(firstIn) : null, lastOut, lastOutTime: lastOut ? hm(lastOut) : null,
        late, lateMinutes: late ? 12 : null, hours: firstIn && lastOut ? (Date.parse(lastOut) - Date.parse(firstIn)) / 3_600_000 : null,
        doubleReads: 0, duplicate: false, admissionReason: null,
        events: s.mine.map((e) => ({ id: e.id, kind: e.kind, method: "scanner", at: e.at, day, deviceId: "preview", officerId: null, officerName: "Awa Diop", talentId: e.talentId, assignmentId: a.id, reason: e.reason ?? null, corrects: e.corrects ?? null, correctedAt: e.correctedAt ?? null, voided: s.live.some((l) => l.id === e.id && !l.effective), effectiveAt: s.live.find((l) => l.id === e.id)?.effective ?? null })),
      };
    });
  }

  function counts(projectId: string, day: string) {
    const all = lines(projectId, day);
    const present = all.filter((l) => l.status === "present").length;
    const left = all.filter((l) => l.status === "left").length;
    return { present, left, expected: all.length, missing: all.filter((l) => !l.firstIn).length, offRoster: 0 };
  }

  function pass(projectId: string, line: any) {
    const day = today();
    const list = dayOf(projectId, day);
    const s = state(list, line.talentId);
    const at = new Date().toISOString();
    const name = `${line.firstName} ${line.lastName}`;
    const doubleRead = s.last && Date.now() - Date.parse(s.last) < 10_000;
    const action = doubleRead ? "double_read" : !s.ins.length ? "checked_in" : !s.outs.length ? "checked_out" : "already_complete";
    let eventId: string | null = null;
    if (action === "checked_in" || action === "checked_out") {
      eventId = `evt-${seq++}`;
      list.push({ id: eventId, kind: action === "checked_in" ? "in" : "out", at, talentId: line.talentId });
    }
    const time = hm(at);
    const message = {
      checked_in: fr() ? `Entrée : ${name}, ${time}.` : `In: ${name}, ${time}.`,
      checked_out: fr() ? `Sortie : ${name}, ${time}.` : `Out: ${name}, ${time}.`,
      double_read: fr() ? `Lecture en double ignorée : ${name} vient d’être scanné·e.` : `Double read ignored: ${name} was just scanned.`,
      already_complete: fr() ? `${name} est déjà entré·e et sorti·e aujourd’hui : rien n’est enregistré.` : `${name} is already in and out today: nothing recorded.`,
    }[action];
    return {
      status: action === "checked_in" || action === "checked_out" ? "green" : "amber", action, message, rejection: null, otherProject: null, offRoster: false,
      talentId: line.talentId, talentCode: line.talentCode, talentName: name, photo: line.photo, photoThumb: line.photoThumb,
      assignmentId: line.assignmentId, assignmentCode: line.assignmentCode, role: line.role, talentType: line.talentType, talentTypeLabel: line.talentTypeLabel,
      shortCode: null, at, time, day, eventId, counts: counts(projectId, day),
    };
  }

  const project = (p: string) => ctx.call("get_project", { idOrCode: p }).id as string;

  return {
    scan_badge({ project: p, token }) {
      ctx.requireUser("presence_scan");
      const all = lines(project(p), today());
      if (String(token).length < 100 || !all.length) ctx.fail("validation", fr() ? "Badge illisible." : "Unreadable badge.");
      return pass(project(p), all[turn++ % all.length]);
    },
    manual_check({ project: p, talent }) {
      ctx.requireUser("presence_scan");
      const line = lines(project(p), today()).find((l) => [l.talentId, l.talentCode, l.assignmentCode].includes(String(talent).trim().toUpperCase()) || l.talentId === talent);
      if (!line) ctx.fail("not_found", fr() ? "Aucun talent de ce projet ne porte ce code." : "No talent of this project has this code.");
      return pass(project(p), line);
    },
    admit_off_roster() {
      ctx.fail("validation", fr() ? "Pas d’admission dans l’aperçu." : "No admission in the preview.");
    },
    bulk_check({ project: p, input }) {
      ctx.requireUser("presence_scan");
      const id = project(p);
      const all = lines(id, input.day);
      const recorded: string[] = [];
      for (const a of input.assignmentIds) {
        const line = all.find((l) => l.assignmentId === a);
        if (!line) continue;
        const at = input.time ? new Date(`${input.day}T${input.time}:00`).toISOString() : new Date().toISOString();
        const evt = `evt-${seq++}`;
        dayOf(id, input.day).push({ id: evt, kind: input.kind, at, talentId: line.talentId });
        recorded.push(evt);
      }
      return { recorded, skipped: [], counts: counts(id, input.day) };
    },
    correct_scan({ eventId, newTime, reason }) {
      for (const [key, list] of events) {
        const target = list.find((e) => e.id === eventId);
        if (!target) continue;
        const day = key.split("|")[1]!;
        const e: Event = { id: `evt-${seq++}`, kind: "correction", at: new Date().toISOString(), talentId: target.talentId, corrects: eventId, correctedAt: newTime ? new Date(`${day}T${newTime}:00`).toISOString() : null, reason };
        list.push(e);
        return { ...e, method: "manual", day, deviceId: "preview", officerId: null, officerName: "Awa Diop", assignmentId: null, voided: false, effectiveAt: null };
      }
      ctx.fail("not_found", "not found");
    },
    day_attendance({ project: p, day }) {
      ctx.requireUser("presence_view");
      const proj = ctx.call("get_project", { idOrCode: p });
      const shoot = (ctx.call("list_shoot_days", { project: proj.id }) as any[]).find((d) => d.day === day);
      return { projectId: proj.id, projectCode: proj.code, projectName: proj.name, day, callTime: shoot?.callTime ?? null, location: shoot?.location ?? null, over: day < today(), counts: counts(proj.id, day), lines: lines(proj.id, day) };
    },
    talent_attendance: () => [],
    export_attendance({ project: p, from, to }) {
      return { path: `/home/agence/.local/share/talento/exports/presence-${p}-${from}-${to}.xlsx`, days: 1, rows: 6 };
    },
    signin_sheet({ project: p, day }) {
      return `/home/agence/.local/share/talento/exports/emargement-${p}-${day}.pdf`;
    },
  };
}
