//! Who may do what in one connection (product.md §5 "Roles").
//!
//! Four roles, each including the rights of the ones below it: **observer** (reads; what they
//! write stays in the topic as an internal comment), **operator** (answers, status commands,
//! tags on topics, `/info`, `/new`, `/send TEMPLATE`, `/ban` and `/unban` — daily spam
//! handling, undone as easily), **supervisor** (the modules: broadcast, tag setup, export,
//! analytics — the EXTENSIONS_ALLOWED users), **admin**
//! (everything, including parameters, roles and the connection itself).
//!
//! A [`RoleBook`] holds the explicit assignments and the default role for everyone else. It
//! knows nothing of parameters: the caller builds it from the stored roles, the connection's
//! admins and EXTENSIONS_ALLOWED (whose `.` — every member — is a default role of
//! [`Role::Supervisor`]); an explicit assignment always wins over the default.
//!
//! Refusals are values ([`Refusal`]); the i18n layer phrases them. What a refusal means for the
//! message itself is the caller's: an observer's message is kept as an internal comment,
//! a refused command is answered with the localized refusal.

use std::collections::BTreeMap;
use std::fmt;

pub use crate::UserId;

/// A member's role in one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including parameters and roles.
    Admin,
    /// The modules (EXTENSIONS_ALLOWED), on top of operating.
    Supervisor,
    /// Answers customers and works topics.
    Operator,
    /// Reads only.
    Observer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Supervisor,
        Role::Operator,
        Role::Observer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Operator => "operator",
            Role::Observer => "observer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "admin" => Role::Admin,
            "supervisor" => Role::Supervisor,
            "operator" => Role::Operator,
            "observer" => Role::Observer,
            _ => return None,
        })
    }

    /// Whether this role has every right of `other`.
    pub fn includes(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }

    fn rank(self) -> u8 {
        match self {
            Role::Observer => 0,
            Role::Operator => 1,
            Role::Supervisor => 2,
            Role::Admin => 3,
        }
    }
}

impl fmt::Display for Role {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who sent a message or a command in the backend group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sender {
    User(UserId),
    /// An anonymous group admin (or anything else posting as a chat): cannot be attributed.
    Anonymous,
}

/// Everything that is gated by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A `/ ` message that stays in the topic.
    InternalComment,
    /// A topic message delivered to the customer, its edits, and `/del` to retract it.
    AnswerCustomer,
    /// `/close`, `/hold`, `/wait`.
    StatusCommand,
    /// `/info` (what it shows is still subject to HIDE_INFO).
    Info,
    /// `/help`.
    Help,
    /// `/mark NAME`, `/mark del NAME`, `/mark` on a topic.
    Tag,
    /// `/send TEMPLATE` in a topic: answering with a saved template.
    SendTemplate,
    /// `/new @username|id` in General.
    OpenDialog,
    /// `/ban`, `/unban` (they edit IGNORE_CHATS).
    Ban,
    /// `/send` in General: the broadcast module.
    Broadcast,
    /// `/mark new`, renaming tags, tickers, `after`, `sends`.
    TagSetup,
    /// `/template new|save|cancel|NAME name NEW|del NAME`: saving and managing templates.
    TemplateSetup,
    /// `/export`.
    Export,
    /// `/stats` and the setup bot's Analytics.
    Analytics,
    /// Change parameters in the setup bot.
    ChangeParameters,
    /// Assign and remove roles.
    ManageRoles,
    /// Stop/start, reset the API key, delete the connection.
    ManageConnection,
}

impl Action {
    pub const ALL: [Action; 17] = [
        Action::InternalComment,
        Action::AnswerCustomer,
        Action::StatusCommand,
        Action::Info,
        Action::Help,
        Action::Tag,
        Action::SendTemplate,
        Action::OpenDialog,
        Action::Ban,
        Action::Broadcast,
        Action::TagSetup,
        Action::TemplateSetup,
        Action::Export,
        Action::Analytics,
        Action::ChangeParameters,
        Action::ManageRoles,
        Action::ManageConnection,
    ];

    /// The least role allowed to do this.
    pub fn minimum_role(self) -> Role {
        match self {
            Action::InternalComment => Role::Observer,
            Action::AnswerCustomer
            | Action::StatusCommand
            | Action::Info
            | Action::Help
            | Action::Tag
            | Action::SendTemplate
            | Action::OpenDialog
            | Action::Ban => Role::Operator,
            Action::Broadcast
            | Action::TagSetup
            | Action::TemplateSetup
            | Action::Export
            | Action::Analytics => Role::Supervisor,
            Action::ChangeParameters | Action::ManageRoles | Action::ManageConnection => {
                Role::Admin
            }
        }
    }

    /// A command (or setup-bot action), as opposed to writing in a topic.
    pub fn is_command(self) -> bool {
        !matches!(self, Action::InternalComment | Action::AnswerCustomer)
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// An observer wrote in a topic: the message stays there as an internal comment.
    ObserverCannotWrite,
    /// An observer used an operator command.
    ObserverCannotCommand,
    /// Only supervisors (EXTENSIONS_ALLOWED) and admins may do this.
    NeedsSupervisor,
    /// Only admins may do this.
    NeedsAdmin,
    /// Sent as the group (anonymous admin): nobody to attribute it to.
    AnonymousSender,
}

impl fmt::Display for Refusal {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::ObserverCannotWrite => "observer cannot write to customers",
            Refusal::ObserverCannotCommand => "observer cannot use commands",
            Refusal::NeedsSupervisor => "needs supervisor",
            Refusal::NeedsAdmin => "needs admin",
            Refusal::AnonymousSender => "anonymous sender cannot be attributed",
        })
    }
}

impl std::error::Error for Refusal {}

/// May `role` do `action`? The refusal names the missing role; observers get their own.
pub fn check(role: Role, action: Action) -> Result<(), Refusal> {
    let needed = action.minimum_role();
    if role.includes(needed) {
        return Ok(());
    }
    Err(match needed {
        Role::Admin => Refusal::NeedsAdmin,
        Role::Supervisor => Refusal::NeedsSupervisor,
        Role::Operator | Role::Observer if action.is_command() => Refusal::ObserverCannotCommand,
        Role::Operator | Role::Observer => Refusal::ObserverCannotWrite,
    })
}

/// A change to a [`RoleBook`] that was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoleBookError {
    /// The change would leave the connection without an admin.
    LastAdmin,
    /// Admin is never a default role: managing a connection takes an explicit assignment
    /// (otherwise every member, and anyone who guesses the connection's id, would manage it).
    DefaultAdmin,
}

impl fmt::Display for RoleBookError {
    /// For logs only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoleBookError::LastAdmin => f.write_str("would remove the last admin"),
            RoleBookError::DefaultAdmin => f.write_str("admin cannot be the default role"),
        }
    }
}

impl std::error::Error for RoleBookError {}

/// The roles of one connection: explicit assignments plus a default for everyone else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleBook {
    default: Role,
    assigned: BTreeMap<UserId, Role>,
}

impl Default for RoleBook {
    /// Nobody assigned; members are operators.
    fn default() -> Self {
        RoleBook::new(Role::Operator)
    }
}

impl RoleBook {
    /// A book with `default` for members nobody assigned a role. Admin is never a default
    /// (see [`RoleBookError::DefaultAdmin`]): a stored default of admin, written before that
    /// rule, reads as operator.
    pub fn new(default: Role) -> Self {
        RoleBook {
            default: if default == Role::Admin {
                Role::Operator
            } else {
                default
            },
            assigned: BTreeMap::new(),
        }
    }

    /// A connection's starting roles: its admin, everyone else `default`.
    pub fn with_admin(admin: UserId, default: Role) -> Self {
        let mut book = RoleBook::new(default);
        book.assigned.insert(admin, Role::Admin);
        book
    }

    /// A book as stored: the creator is an admin unless a stored assignment says otherwise,
    /// every stored assignment applies as it is (in any order), and a book left without an
    /// admin (edited by hand) falls back to the creator as admin.
    pub fn from_stored(
        creator: Option<UserId>,
        default: Role,
        stored: impl IntoIterator<Item = (UserId, Role)>,
    ) -> Self {
        let mut book = RoleBook::new(default);
        if let Some(c) = creator {
            book.assigned.insert(c, Role::Admin);
        }
        book.assigned.extend(stored);
        if !book.has_admin()
            && let Some(c) = creator
        {
            book.assigned.insert(c, Role::Admin);
        }
        book
    }

    pub fn default_role(&self) -> Role {
        self.default
    }

    pub fn role_of(&self, user: UserId) -> Role {
        self.assigned.get(&user).copied().unwrap_or(self.default)
    }

    /// The explicitly assigned role, if any.
    pub fn assigned(&self, user: UserId) -> Option<Role> {
        self.assigned.get(&user).copied()
    }

    /// Explicit assignments, by user id.
    pub fn assignments(&self) -> impl Iterator<Item = (UserId, Role)> + '_ {
        self.assigned.iter().map(|(u, r)| (*u, *r))
    }

    /// Whether someone is an admin (always by an explicit assignment).
    pub fn has_admin(&self) -> bool {
        self.assigned.values().any(|r| *r == Role::Admin)
    }

    /// Whether `user` manages the connection: only an explicit admin assignment counts,
    /// never the default role.
    pub fn is_admin(&self, user: UserId) -> bool {
        self.assigned(user) == Some(Role::Admin)
    }

    /// Give `user` an explicit role; returns the previous explicit one.
    pub fn assign(&mut self, user: UserId, role: Role) -> Result<Option<Role>, RoleBookError> {
        self.change(|book| book.assigned.insert(user, role))
    }

    /// Drop `user`'s explicit role (they fall back to the default); returns it.
    pub fn unassign(&mut self, user: UserId) -> Result<Option<Role>, RoleBookError> {
        self.change(|book| book.assigned.remove(&user))
    }

    /// Change the role of members without an explicit one; returns the previous default.
    pub fn set_default_role(&mut self, role: Role) -> Result<Role, RoleBookError> {
        if role == Role::Admin {
            return Err(RoleBookError::DefaultAdmin);
        }
        self.change(|book| std::mem::replace(&mut book.default, role))
    }

    /// Apply `edit` unless it would leave a book that had an admin without one.
    fn change<T>(&mut self, edit: impl FnOnce(&mut RoleBook) -> T) -> Result<T, RoleBookError> {
        let had_admin = self.has_admin();
        let mut next = self.clone();
        let out = edit(&mut next);
        if had_admin && !next.has_admin() {
            return Err(RoleBookError::LastAdmin);
        }
        *self = next;
        Ok(out)
    }

    /// [`check`] for a sender: anonymous admins may only leave internal comments.
    pub fn authorize(&self, sender: Sender, action: Action) -> Result<(), Refusal> {
        match sender {
            Sender::User(user) => check(self.role_of(user), action),
            Sender::Anonymous if action == Action::InternalComment => Ok(()),
            Sender::Anonymous => Err(Refusal::AnonymousSender),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use Action::*;
    use Refusal::*;

    const OK: Result<(), Refusal> = Ok(());

    /// The full matrix: for each action, the outcome for admin, supervisor, operator, observer.
    const MATRIX: [(Action, [Result<(), Refusal>; 4]); 17] = [
        (InternalComment, [OK, OK, OK, OK]),
        (AnswerCustomer, [OK, OK, OK, Err(ObserverCannotWrite)]),
        (StatusCommand, [OK, OK, OK, Err(ObserverCannotCommand)]),
        (Info, [OK, OK, OK, Err(ObserverCannotCommand)]),
        (Help, [OK, OK, OK, Err(ObserverCannotCommand)]),
        (Tag, [OK, OK, OK, Err(ObserverCannotCommand)]),
        (SendTemplate, [OK, OK, OK, Err(ObserverCannotCommand)]),
        (OpenDialog, [OK, OK, OK, Err(ObserverCannotCommand)]),
        (Ban, [OK, OK, OK, Err(ObserverCannotCommand)]),
        (
            Broadcast,
            [OK, OK, Err(NeedsSupervisor), Err(NeedsSupervisor)],
        ),
        (
            TagSetup,
            [OK, OK, Err(NeedsSupervisor), Err(NeedsSupervisor)],
        ),
        (
            TemplateSetup,
            [OK, OK, Err(NeedsSupervisor), Err(NeedsSupervisor)],
        ),
        (Export, [OK, OK, Err(NeedsSupervisor), Err(NeedsSupervisor)]),
        (
            Analytics,
            [OK, OK, Err(NeedsSupervisor), Err(NeedsSupervisor)],
        ),
        (
            ChangeParameters,
            [OK, Err(NeedsAdmin), Err(NeedsAdmin), Err(NeedsAdmin)],
        ),
        (
            ManageRoles,
            [OK, Err(NeedsAdmin), Err(NeedsAdmin), Err(NeedsAdmin)],
        ),
        (
            ManageConnection,
            [OK, Err(NeedsAdmin), Err(NeedsAdmin), Err(NeedsAdmin)],
        ),
    ];

    #[test]
    fn the_full_matrix() {
        assert_eq!(
            MATRIX.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
            Action::ALL,
            "the table covers every action, in order"
        );
        for (action, outcomes) in MATRIX {
            for (role, expected) in Role::ALL.into_iter().zip(outcomes) {
                assert_eq!(check(role, action), expected, "{role} {action:?}");
            }
        }
    }

    #[test]
    fn admin_can_do_everything_and_roles_nest() {
        for action in Action::ALL {
            assert_eq!(check(Role::Admin, action), Ok(()));
            for (lower, higher) in [
                (Role::Observer, Role::Operator),
                (Role::Operator, Role::Supervisor),
                (Role::Supervisor, Role::Admin),
            ] {
                if check(lower, action).is_ok() {
                    assert_eq!(check(higher, action), Ok(()), "{higher} {action:?}");
                }
            }
        }
    }

    #[test]
    fn observers_write_only_internal_comments() {
        for action in Action::ALL {
            let outcome = check(Role::Observer, action);
            match action {
                InternalComment => assert_eq!(outcome, Ok(())),
                AnswerCustomer => assert_eq!(outcome, Err(ObserverCannotWrite)),
                _ => {
                    assert!(action.is_command());
                    assert!(outcome.is_err(), "{action:?}");
                }
            }
        }
    }

    #[test]
    fn anonymous_admins_are_refused_everything_but_comments() {
        let book = RoleBook::with_admin(UserId(1), Role::Supervisor);
        for action in Action::ALL {
            let expected = if action == InternalComment {
                Ok(())
            } else {
                Err(AnonymousSender)
            };
            assert_eq!(
                book.authorize(Sender::Anonymous, action),
                expected,
                "{action:?}"
            );
        }
    }

    #[test]
    fn explicit_roles_win_over_the_default() {
        let admin = UserId(1);
        let watcher = UserId(2);
        let lead = UserId(3);
        let someone = UserId(4);
        let mut book = RoleBook::with_admin(admin, Role::Operator);
        assert_eq!(book.assign(watcher, Role::Observer), Ok(None));
        assert_eq!(book.assign(lead, Role::Supervisor), Ok(None));
        assert_eq!(book.role_of(admin), Role::Admin);
        assert_eq!(book.role_of(watcher), Role::Observer);
        assert_eq!(book.role_of(lead), Role::Supervisor);
        assert_eq!(book.role_of(someone), Role::Operator);
        assert_eq!(book.assigned(someone), None);

        assert_eq!(
            book.authorize(Sender::User(watcher), AnswerCustomer),
            Err(ObserverCannotWrite)
        );
        assert_eq!(book.authorize(Sender::User(lead), Broadcast), Ok(()));
        assert_eq!(
            book.authorize(Sender::User(someone), Broadcast),
            Err(NeedsSupervisor)
        );
        assert_eq!(
            book.authorize(Sender::User(lead), ManageRoles),
            Err(NeedsAdmin)
        );

        // EXTENSIONS_ALLOWED `.`: everyone is a supervisor, explicit roles still win.
        assert_eq!(book.set_default_role(Role::Supervisor), Ok(Role::Operator));
        assert_eq!(book.role_of(someone), Role::Supervisor);
        assert_eq!(book.role_of(watcher), Role::Observer);

        assert_eq!(book.unassign(watcher), Ok(Some(Role::Observer)));
        assert_eq!(book.role_of(watcher), Role::Supervisor);
        assert_eq!(
            book.assignments().collect::<Vec<_>>(),
            [(admin, Role::Admin), (lead, Role::Supervisor)]
        );
    }

    #[test]
    fn the_last_admin_stays() {
        let admin = UserId(1);
        let mut book = RoleBook::with_admin(admin, Role::Operator);
        let before = book.clone();
        assert_eq!(
            book.assign(admin, Role::Operator),
            Err(RoleBookError::LastAdmin)
        );
        assert_eq!(book.unassign(admin), Err(RoleBookError::LastAdmin));
        assert_eq!(book, before);
        // With a second admin the first may step down.
        assert_eq!(book.assign(UserId(2), Role::Admin), Ok(None));
        assert_eq!(book.unassign(admin), Ok(Some(Role::Admin)));
        assert_eq!(book.role_of(admin), Role::Operator);
        // Admin is never a default: refused, and a stored one reads as operator.
        assert_eq!(
            book.set_default_role(Role::Admin),
            Err(RoleBookError::DefaultAdmin)
        );
        assert_eq!(book.default_role(), Role::Operator);
        let legacy = RoleBook::new(Role::Admin);
        assert_eq!(legacy.default_role(), Role::Operator);
        assert!(!legacy.has_admin());
        assert!(!legacy.is_admin(UserId(5)));
        assert!(book.is_admin(UserId(2)));
        assert!(!book.is_admin(admin));
        // A book without any admin can still be edited.
        let mut none = RoleBook::default();
        assert_eq!(none.assign(UserId(9), Role::Observer), Ok(None));
        assert!(!none.has_admin());
    }

    #[test]
    fn stored_books_apply_every_assignment_in_any_order() {
        let (creator, bea) = (UserId(1), UserId(2));
        // The creator stepped down after making Bea an admin: both facts hold, whatever
        // order the rows come in.
        for rows in [
            vec![(creator, Role::Operator), (bea, Role::Admin)],
            vec![(bea, Role::Admin), (creator, Role::Operator)],
        ] {
            let book = RoleBook::from_stored(Some(creator), Role::Operator, rows);
            assert!(!book.is_admin(creator));
            assert!(book.is_admin(bea));
        }
        // Without any admin left (edited by hand), the creator manages it again.
        let book =
            RoleBook::from_stored(Some(creator), Role::Operator, [(creator, Role::Observer)]);
        assert!(book.is_admin(creator));
        assert!(!RoleBook::from_stored(None, Role::Admin, []).has_admin());
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert_eq!(Role::parse("owner"), None);
        assert_eq!(RoleBook::default().default_role(), Role::Operator);
        assert_eq!(NeedsAdmin.to_string(), "needs admin");
    }
}
