//! Who may do what. One table, [`Role::allows`], decides every permission in the product; use cases in
//! `talento-core` ask it before they touch anything, so the UI only mirrors what the core already enforces.

use serde::{Deserialize, Serialize};

/// A user's role in the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, laptops, settings, logs, sync and backups; may do everything staff may do.
    Admin,
    /// Casting staff: registers and finds talents, casts them into projects, prints badges.
    Recruiter,
    /// Presence officer: scans badges at the gate and keeps attendance.
    Presence,
    /// A talent with an account: sees the reference data and manages only their own account.
    Talent,
}

/// Something a use case does that a role may or may not be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    UsersView,
    UsersManage,
    LogsView,
    SettingsManage,
    ReferenceView,
    TalentsView,
    TalentsEdit,
    PersonalDataView,
    CinemaManage,
    BadgesPrint,
    PresenceScan,
    PresenceView,
    SyncRun,
    BackupRun,
    /// Change one's own password, see one's own session.
    OwnAccount,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Recruiter, Role::Presence, Role::Talent];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Recruiter => "recruiter",
            Role::Presence => "presence",
            Role::Talent => "talent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// A login code for an account of this role, `ADM-7KQ3X`: the role's prefix and one character per random byte,
    /// from letters and digits that cannot be misread (no 0/O, 1/I/L). Laptops use five bytes and the server six, so
    /// a code made on the server is never one a laptop made.
    pub fn login_code(self, random: &[u8]) -> String {
        const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        let prefix = match self {
            Role::Admin => "ADM",
            Role::Recruiter => "REC",
            Role::Presence => "PRE",
            Role::Talent => "TAL",
        };
        let suffix: String = random.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
        format!("{prefix}-{suffix}")
    }

    /// The role × action table. Exhaustive on purpose: adding an action does not compile until every role has an
    /// answer for it.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match (self, action) {
            (Role::Admin, _) => true,
            (Role::Recruiter, action) => match action {
                ReferenceView | TalentsView | TalentsEdit | PersonalDataView | CinemaManage | BadgesPrint
                | PresenceView | SyncRun | OwnAccount => true,
                UsersView | UsersManage | LogsView | SettingsManage | PresenceScan | BackupRun => false,
            },
            (Role::Presence, action) => match action {
                ReferenceView | PresenceScan | PresenceView | SyncRun | OwnAccount => true,
                UsersView | UsersManage | LogsView | SettingsManage | TalentsView | TalentsEdit | PersonalDataView
                | CinemaManage | BadgesPrint | BackupRun => false,
            },
            (Role::Talent, action) => match action {
                ReferenceView | OwnAccount => true,
                UsersView | UsersManage | LogsView | SettingsManage | TalentsView | TalentsEdit | PersonalDataView
                | CinemaManage | BadgesPrint | PresenceScan | PresenceView | SyncRun | BackupRun => false,
            },
        }
    }

    /// Every action this role may take, in the table's order (sent to the UI to decide what to show).
    pub fn permissions(self) -> Vec<Action> {
        Action::ALL.into_iter().filter(|a| self.allows(*a)).collect()
    }
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::UsersView,
        Action::UsersManage,
        Action::LogsView,
        Action::SettingsManage,
        Action::ReferenceView,
        Action::TalentsView,
        Action::TalentsEdit,
        Action::PersonalDataView,
        Action::CinemaManage,
        Action::BadgesPrint,
        Action::PresenceScan,
        Action::PresenceView,
        Action::SyncRun,
        Action::BackupRun,
        Action::OwnAccount,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_codes_carry_the_role_and_only_unambiguous_characters() {
        assert_eq!(Role::Presence.login_code(&[0, 1, 30, 31, 255]), "PRE-23Z29");
        let server = Role::Admin.login_code(&[9; 6]);
        assert!(server.starts_with("ADM-") && server.len() == 10, "six characters from the server: {server}");
        let code = Role::Recruiter.login_code(&(0..=255).collect::<Vec<u8>>());
        assert!(!code[4..].contains(['0', 'O', '1', 'I', 'L']), "{code}");
    }

    /// The expected table, written out as a person would read it: one row per action, columns admin, recruiter,
    /// presence, talent. Every cell is checked against `Role::allows`.
    const EXPECTED: [(Action, [bool; 4]); 15] = [
        (Action::UsersView, [true, false, false, false]),
        (Action::UsersManage, [true, false, false, false]),
        (Action::LogsView, [true, false, false, false]),
        (Action::SettingsManage, [true, false, false, false]),
        (Action::ReferenceView, [true, true, true, true]),
        (Action::TalentsView, [true, true, false, false]),
        (Action::TalentsEdit, [true, true, false, false]),
        (Action::PersonalDataView, [true, true, false, false]),
        (Action::CinemaManage, [true, true, false, false]),
        (Action::BadgesPrint, [true, true, false, false]),
        (Action::PresenceScan, [true, false, true, false]),
        (Action::PresenceView, [true, true, true, false]),
        (Action::SyncRun, [true, true, true, false]),
        (Action::BackupRun, [true, false, false, false]),
        (Action::OwnAccount, [true, true, true, true]),
    ];

    #[test]
    fn every_cell_of_the_role_action_table() {
        assert_eq!(EXPECTED.len(), Action::ALL.len(), "the expected table must list every action");
        for (action, row) in EXPECTED {
            for (role, expected) in Role::ALL.into_iter().zip(row) {
                assert_eq!(
                    role.allows(action),
                    expected,
                    "{role:?} × {action:?}: the table says {expected}, so the core must enforce exactly that"
                );
            }
        }
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role), "stored role names must read back");
        }
        assert_eq!(Role::parse("superuser"), None, "an unknown role is never guessed");
    }

    #[test]
    fn permissions_follow_the_table() {
        assert_eq!(Role::Admin.permissions().len(), Action::ALL.len(), "admin may do everything");
        assert_eq!(Role::Talent.permissions(), vec![Action::ReferenceView, Action::OwnAccount]);
    }
}
