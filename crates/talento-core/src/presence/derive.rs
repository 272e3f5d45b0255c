//! A talent's day from its scan events, with no storage: corrections applied (latest wins), check-ins and check-outs
//! in order of their effective time then id, so every laptop derives the same state from the same events whatever
//! order sync delivered them in. Nothing here is ever stored.

use jiff::Timestamp;

use super::dto::ScanEventKind;

/// One stored event, parsed.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub id: String,
    pub kind: ScanEventKind,
    pub at: Timestamp,
    pub device_id: String,
    pub talent_id: String,
    pub assignment_id: Option<String>,
    pub reason: Option<String>,
    pub corrects: Option<String>,
    pub corrected_at: Option<Timestamp>,
}

/// An in or out event after corrections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Passage {
    pub id: String,
    pub at: Timestamp,
}

/// One talent's day.
#[derive(Debug, Clone, Default)]
pub(crate) struct TalentDay {
    pub ins: Vec<Passage>,
    pub outs: Vec<Passage>,
    /// When the last in/out still standing was scanned (not its corrected time): double reads are measured from it.
    pub last_scan: Option<Timestamp>,
    /// Why they were admitted off the roster (the first admission standing).
    pub admission_reason: Option<String>,
    /// The effective time of each in/out event by id (None = voided).
    pub effective: Vec<(String, Option<Timestamp>)>,
}

impl TalentDay {
    pub fn first_in(&self) -> Option<Timestamp> {
        self.ins.first().map(|p| p.at)
    }

    pub fn last_out(&self) -> Option<Timestamp> {
        self.outs.last().map(|p| p.at)
    }

    /// Two check-ins, or two check-outs: typically two offline laptops scanning the same talent. Both are kept.
    pub fn duplicate(&self) -> bool {
        self.ins.len() > 1 || self.outs.len() > 1
    }

    /// Hours from the first in to the last out, to the minute.
    pub fn hours(&self) -> Option<f64> {
        let (first, last) = (self.first_in()?, self.last_out()?);
        let minutes = (last.as_second() - first.as_second()) / 60;
        (minutes >= 0).then(|| minutes as f64 / 60.0)
    }

    pub fn effective_of(&self, id: &str) -> Option<Option<Timestamp>> {
        self.effective.iter().find(|(e, _)| e == id).map(|(_, at)| *at)
    }
}

/// Derives one talent's day from its events (any order).
pub(crate) fn talent_day(events: &[&Event]) -> TalentDay {
    let mut sorted: Vec<&Event> = events.to_vec();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    // The latest correction of an event wins.
    let mut corrections: std::collections::HashMap<&str, Option<Timestamp>> = std::collections::HashMap::new();
    for e in &sorted {
        if let (ScanEventKind::Correction, Some(target)) = (e.kind, e.corrects.as_deref()) {
            corrections.insert(target, e.corrected_at);
        }
    }
    let mut day = TalentDay::default();
    for e in &sorted {
        if e.kind == ScanEventKind::Correction {
            continue;
        }
        let effective = match corrections.get(e.id.as_str()) {
            Some(corrected) => *corrected,
            None => Some(e.at),
        };
        day.effective.push((e.id.clone(), effective));
        let Some(at) = effective else { continue };
        day.last_scan = Some(day.last_scan.map_or(e.at, |l| l.max(e.at)));
        let passage = Passage { id: e.id.clone(), at };
        match e.kind {
            ScanEventKind::In => {
                if e.assignment_id.is_none() && day.admission_reason.is_none() {
                    day.admission_reason.clone_from(&e.reason);
                }
                day.ins.push(passage);
            }
            ScanEventKind::Out => day.outs.push(passage),
            ScanEventKind::Correction => {}
        }
    }
    let order = |a: &Passage, b: &Passage| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id));
    day.ins.sort_by(order);
    day.outs.sort_by(order);
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hh: i8, mm: i8) -> Timestamp {
        jiff::civil::date(2026, 12, 3).at(hh, mm, 0, 0).to_zoned(jiff::tz::TimeZone::UTC).expect("utc").timestamp()
    }

    fn event(id: &str, kind: ScanEventKind, time: Timestamp, device: &str) -> Event {
        Event {
            id: id.into(),
            kind,
            at: time,
            device_id: device.into(),
            talent_id: "t".into(),
            assignment_id: Some("a".into()),
            reason: None,
            corrects: None,
            corrected_at: None,
        }
    }

    fn correction(id: &str, target: &str, time: Timestamp, new: Option<Timestamp>) -> Event {
        Event { corrects: Some(target.into()), corrected_at: new, ..event(id, ScanEventKind::Correction, time, "d1") }
    }

    #[test]
    fn in_then_out_gives_hours_to_the_minute() {
        let events = [event("1", ScanEventKind::In, at(7, 10), "d1"), event("2", ScanEventKind::Out, at(16, 40), "d1")];
        let day = talent_day(&events.iter().collect::<Vec<_>>());
        assert_eq!(day.hours(), Some(9.5));
        assert!(!day.duplicate());
    }

    #[test]
    fn corrections_void_or_move_and_the_latest_wins() {
        let events = [
            event("1", ScanEventKind::In, at(7, 10), "d1"),
            correction("2", "1", at(7, 20), None),
            event("3", ScanEventKind::Out, at(17, 0), "d1"),
        ];
        let day = talent_day(&events.iter().collect::<Vec<_>>());
        assert!(day.ins.is_empty(), "a voided check-in no longer counts");
        assert_eq!(day.effective_of("1"), Some(None));
        let mut more = events.to_vec();
        more.push(correction("4", "1", at(18, 0), Some(at(6, 55))));
        let day = talent_day(&more.iter().collect::<Vec<_>>());
        assert_eq!(day.first_in(), Some(at(6, 55)), "a later correction restores the event at its new time");
        assert_eq!(day.hours(), Some(10.0 + 5.0 / 60.0));
    }

    #[test]
    fn two_devices_checking_in_are_both_kept_and_flagged_in_any_order() {
        let events = [event("b", ScanEventKind::In, at(7, 5), "d2"), event("a", ScanEventKind::In, at(7, 5), "d1")];
        let forward = talent_day(&events.iter().collect::<Vec<_>>());
        let backward = talent_day(&events.iter().rev().collect::<Vec<_>>());
        assert!(forward.duplicate(), "two check-ins are a duplicate");
        assert_eq!(forward.ins.len(), 2, "neither is lost");
        assert_eq!(forward.ins, backward.ins, "same events, same state, whatever the order they arrived in");
        assert_eq!(forward.ins[0].id, "a", "equal times order by id");
    }
}
