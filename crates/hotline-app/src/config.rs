//! A connection's settings as the runtime uses them: parameters (stored and effective on the
//! plan), the state machine's policy, roles and the team's language.
//!
//! Loaded from the store and reloaded whenever the connection's `settings_version` moves, so a
//! change made anywhere (the CLI, the setup bot, another process) applies to the running
//! connection without a restart.

use std::collections::BTreeMap;
use std::time::Duration;

use hotline_core::ConnectionId;
use hotline_core::dialog::Policy;
use hotline_core::params::{HiddenInfo, Members, Params, Plan};
use hotline_core::roles::{Role, RoleBook, UserId};

use hotline_i18n::Lang;
use hotline_store::{Connection, Store};

use crate::retry::Backoff;

/// Why stored settings could not be used (someone edited the database by hand).
#[derive(Debug, thiserror::Error)]
pub enum ConfigLoadError {
    #[error("connection {0} is gone")]
    Gone(ConnectionId),
    #[error("stored parameters are not a JSON object of strings: {0}")]
    Json(String),
    #[error("stored parameter {0}")]
    Param(String),
    #[error("unknown plan {0:?}")]
    Plan(String),
    #[error("unknown role {0:?}")]
    Role(String),
    #[error(transparent)]
    Store(#[from] hotline_store::StoreError),
}

/// One connection's settings at one `version`.
#[derive(Debug, Clone)]
pub struct ConnConfig {
    pub version: i64,
    pub plan: Plan,
    /// As stored: what `/ban` edits and what an upgrade brings back.
    pub stored: Params,
    /// What applies on `plan` ([`Params::effective`]).
    pub params: Params,
    pub policy: Policy,
    pub roles: RoleBook,
    /// The connection's creator.
    pub admin: Option<i64>,
    /// The team's language.
    pub lang: Lang,
}

impl Default for ConnConfig {
    fn default() -> Self {
        ConnConfig::build(
            -1,
            Plan::Free,
            Params::default(),
            RoleBook::default(),
            None,
            Lang::En,
        )
    }
}

impl ConnConfig {
    fn build(
        version: i64,
        plan: Plan,
        stored: Params,
        roles: RoleBook,
        admin: Option<i64>,
        lang: Lang,
    ) -> Self {
        ConnConfig {
            version,
            plan,
            params: stored.effective(plan),
            policy: stored.policy(plan),
            stored,
            roles,
            admin,
            lang,
        }
    }

    /// Reads the connection's settings.
    pub async fn load(store: &Store, id: ConnectionId) -> Result<Self, ConfigLoadError> {
        let c = store
            .connections()
            .get(id)
            .await?
            .ok_or(ConfigLoadError::Gone(id))?;
        let roles = store.members().roles(id).await?;
        Self::from_rows(&c, &roles)
    }

    pub fn from_rows(c: &Connection, roles: &[(UserId, String)]) -> Result<Self, ConfigLoadError> {
        let plan = Plan::parse(&c.plan).ok_or_else(|| ConfigLoadError::Plan(c.plan.clone()))?;
        let stored = params_from_json(&c.params)?;
        let default = Role::parse(&c.default_role)
            .ok_or_else(|| ConfigLoadError::Role(c.default_role.clone()))?;
        let stored_roles = roles
            .iter()
            .map(|(user, role)| {
                Role::parse(role)
                    .map(|r| (*user, r))
                    .ok_or_else(|| ConfigLoadError::Role(role.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let book = RoleBook::from_stored(c.admin_user_id, default, stored_roles);
        let lang = Lang::parse(&c.language).unwrap_or_default();
        Ok(Self::build(
            c.settings_version,
            plan,
            stored,
            book,
            c.admin_user_id.map(|u| u.0),
            lang,
        ))
    }

    /// A member's role: an explicit assignment wins; otherwise EXTENSIONS_ALLOWED makes a
    /// supervisor; otherwise the default role.
    pub fn role_of(&self, user: i64) -> Role {
        if let Some(r) = self.roles.assigned(UserId(user)) {
            return r;
        }
        let default = self.roles.default_role();
        if self.extensions_allowed(user) && !default.includes(Role::Supervisor) {
            return Role::Supervisor;
        }
        default
    }

    /// Whether EXTENSIONS_ALLOWED names `user` (or everyone; or, by default, the admin).
    pub fn extensions_allowed(&self, user: i64) -> bool {
        match &self.params.extensions_allowed {
            Members::Everyone => true,
            Members::Admin => self.admin == Some(user),
            Members::Ids(ids) => ids.contains(&UserId(user)) || self.admin == Some(user),
        }
    }

    /// Who may receive customer cards privately (HIDE_INFO `command`): the admin, the
    /// members EXTENSIONS_ALLOWED lists, and members assigned supervisor or admin.
    pub fn card_recipients(&self) -> Vec<i64> {
        let mut out: Vec<i64> = self.admin.into_iter().collect();
        if let Members::Ids(ids) = &self.params.extensions_allowed {
            out.extend(ids.iter().map(|u| u.0));
        }
        out.extend(
            self.roles
                .assignments()
                .filter(|(_, r)| r.includes(Role::Supervisor))
                .map(|(u, _)| u.0),
        );
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether `user` manages the connection (card, parameters, roles, stop, delete, API
    /// key): an explicit admin assignment — the creator has one from the start — never the
    /// default role. Superadmins are checked by the caller.
    pub fn manages(&self, user: i64) -> bool {
        self.roles.is_admin(UserId(user))
    }

    pub fn hides(&self, what: HiddenInfo) -> bool {
        self.params.hide_info.contains(&what)
    }
}

/// Why a settings change was refused; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no connection {0}")]
    NoConnection(ConnectionId),
    #[error("unknown parameter {0:?}")]
    UnknownParam(String),
    #[error(transparent)]
    Value(#[from] hotline_core::params::SetError),
    #[error("unknown plan {0:?} (free or paid)")]
    UnknownPlan(String),
    #[error("unknown role {0:?} (admin, supervisor, operator, observer)")]
    UnknownRole(String),
    #[error("unknown language {0:?} (en, ru, es, de)")]
    UnknownLanguage(String),
    #[error("the connection would be left without an admin")]
    LastAdmin,
    #[error("admin cannot be the default role: assign admins one by one")]
    DefaultAdmin,
    #[error("the settings kept changing meanwhile; try again")]
    Contended,
    #[error("the stored settings are unusable: {0}")]
    Load(ConfigLoadError),
    #[error(transparent)]
    Store(#[from] hotline_store::StoreError),
}

impl From<ConfigLoadError> for ChangeError {
    fn from(e: ConfigLoadError) -> Self {
        match e {
            ConfigLoadError::Gone(id) => ChangeError::NoConnection(id),
            other => ChangeError::Load(other),
        }
    }
}

/// Sets one parameter from the admin's text, checked against the connection's plan; returns
/// the new canonical value. The running connection picks it up at its next step.
pub async fn set_param(
    store: &Store,
    id: ConnectionId,
    name: &str,
    text: &str,
) -> Result<String, ChangeError> {
    let name = hotline_core::params::ParamName::parse(name)
        .ok_or_else(|| ChangeError::UnknownParam(name.to_string()))?;
    let mut pause = cas_backoff();
    for attempt in 0..CAS_TRIES {
        if attempt > 0 {
            pause.sleep().await;
        }
        let cfg = ConnConfig::load(store, id).await?;
        let mut stored = cfg.stored.clone();
        stored.set(name, text, cfg.plan)?;
        // One source of truth the other way: an explicit supervisor left out of the list is
        // back to the default role; someone listed with a lesser explicit role loses it.
        let settle: Vec<UserId> = if name == hotline_core::params::ParamName::ExtensionsAllowed {
            cfg.roles
                .assignments()
                .filter(|(u, r)| match (r, &stored.extensions_allowed) {
                    (Role::Admin, _) => false,
                    (Role::Supervisor, Members::Ids(ids)) => !ids.contains(u),
                    (Role::Supervisor, Members::Admin) => true,
                    (Role::Supervisor, Members::Everyone) => false,
                    (_, Members::Ids(ids)) => ids.contains(u),
                    (_, _) => false,
                })
                .map(|(u, _)| u)
                .collect()
        } else {
            Vec::new()
        };
        let mut tx = store.begin().await?;
        if !tx
            .connections()
            .set_params_if(id, cfg.version, &params_to_json(&stored))
            .await?
        {
            continue;
        }
        let mut moved = true;
        for (version, user) in (cfg.version + 1..).zip(settle) {
            moved = tx
                .members()
                .set_role_if(id, version, user, None)
                .await
                .map_err(gone(id))?;
            if !moved {
                break;
            }
        }
        if !moved {
            continue;
        }
        tx.commit().await?;
        return Ok(stored.render(name));
    }
    Err(ChangeError::Contended)
}

/// Read-modify-write changes are compare-and-set on `settings_version`; a change that lost
/// the race reads again and reapplies its edit on what the other one left. Every round lets
/// at least one writer through, so this many tries serve that many writers at once.
pub const CAS_TRIES: u64 = 32;

/// The pauses between compare-and-set tries: short, growing, jittered so writers that lost
/// together do not collide again.
fn cas_backoff() -> Backoff {
    Backoff::new(Duration::from_millis(1), Duration::from_millis(10))
}

/// Changes the plan (free or paid). Stored values the new plan does not allow stay stored
/// and come back with an upgrade; meanwhile the plan's limits apply.
pub async fn set_plan(store: &Store, id: ConnectionId, plan: &str) -> Result<Plan, ChangeError> {
    let plan = Plan::parse(plan).ok_or_else(|| ChangeError::UnknownPlan(plan.to_string()))?;
    store
        .connections()
        .set_plan(id, plan.as_str())
        .await
        .map_err(gone(id))?;
    Ok(plan)
}

/// Assigns a role to a member (`None` removes the assignment).
pub async fn set_role(
    store: &Store,
    id: ConnectionId,
    user: UserId,
    role: Option<&str>,
) -> Result<Option<Role>, ChangeError> {
    let role = role
        .map(|r| Role::parse(r).ok_or_else(|| ChangeError::UnknownRole(r.to_string())))
        .transpose()?;
    let mut pause = cas_backoff();
    for attempt in 0..CAS_TRIES {
        if attempt > 0 {
            pause.sleep().await;
        }
        let mut cfg = ConnConfig::load(store, id).await?;
        match role {
            Some(r) => cfg.roles.assign(user, r).map(|_| ()),
            None => cfg.roles.unassign(user).map(|_| ()),
        }
        .map_err(|_| ChangeError::LastAdmin)?;
        // One source of truth: a supervisor is listed in EXTENSIONS_ALLOWED, and someone
        // demoted is no longer listed (written with the role, in one transaction).
        let mut stored = cfg.stored.clone();
        let listed = sync_extensions(&mut stored.extensions_allowed, user, role);
        let mut tx = store.begin().await?;
        if !tx
            .members()
            .set_role_if(id, cfg.version, user, role.map(Role::as_str))
            .await
            .map_err(gone(id))?
        {
            continue;
        }
        if listed
            && !tx
                .connections()
                .set_params_if(id, cfg.version + 1, &params_to_json(&stored))
                .await?
        {
            continue;
        }
        tx.commit().await?;
        return Ok(role);
    }
    Err(ChangeError::Contended)
}

/// EXTENSIONS_ALLOWED after `user` was given `role`: a supervisor joins the list, anyone
/// made operator or observer (or back to the default) leaves it; admins, and a list of
/// every member (`.`), stay as they are. Returns whether the list changed.
pub fn sync_extensions(list: &mut Members, user: UserId, role: Option<Role>) -> bool {
    match (role, &mut *list) {
        (Some(Role::Admin), _) | (_, Members::Everyone) => false,
        (Some(Role::Supervisor), Members::Admin) => {
            *list = Members::Ids(std::iter::once(user).collect());
            true
        }
        (Some(Role::Supervisor), Members::Ids(ids)) => ids.insert(user),
        (_, Members::Admin) => false,
        (_, Members::Ids(ids)) => {
            let removed = ids.remove(&user);
            if ids.is_empty() {
                *list = Members::Admin;
            }
            removed
        }
    }
}

/// The role of members nobody assigned one (supervisor, operator or observer; admin is
/// refused, see [`RoleBook::set_default_role`]).
pub async fn set_default_role(
    store: &Store,
    id: ConnectionId,
    role: &str,
) -> Result<Role, ChangeError> {
    let role = Role::parse(role).ok_or_else(|| ChangeError::UnknownRole(role.to_string()))?;
    RoleBook::default()
        .set_default_role(role)
        .map_err(|_| ChangeError::DefaultAdmin)?;
    store
        .connections()
        .set_default_role(id, role.as_str())
        .await
        .map_err(gone(id))?;
    Ok(role)
}

/// The team's language (notices, `/help`, refusals, cards).
pub async fn set_language(
    store: &Store,
    id: ConnectionId,
    code: &str,
) -> Result<Lang, ChangeError> {
    let lang = Lang::parse(code).ok_or_else(|| ChangeError::UnknownLanguage(code.to_string()))?;
    store
        .connections()
        .set_language(id, lang.code())
        .await
        .map_err(gone(id))?;
    Ok(lang)
}

fn gone(id: ConnectionId) -> impl Fn(hotline_store::StoreError) -> ChangeError {
    move |e| match e {
        hotline_store::StoreError::Conflict(_) => ChangeError::NoConnection(id),
        other => ChangeError::Store(other),
    }
}

/// The stored form: a JSON object of parameter name → canonical text.
pub fn params_to_json(p: &Params) -> String {
    let map: BTreeMap<String, String> = p
        .to_pairs()
        .into_iter()
        .map(|(n, v)| (n.as_str().to_string(), v))
        .collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into())
}

pub fn params_from_json(text: &str) -> Result<Params, ConfigLoadError> {
    let map: BTreeMap<String, String> =
        serde_json::from_str(text).map_err(|e| ConfigLoadError::Json(e.to_string()))?;
    Params::from_pairs(map).map_err(|e| ConfigLoadError::Param(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotline_core::params::ParamName;

    #[test]
    fn params_survive_the_stored_form() {
        let mut p = Params::default();
        p.set(ParamName::Autoclose, "12", Plan::Free).unwrap();
        p.set(ParamName::IgnoreChats, "777000, 42", Plan::Free)
            .unwrap();
        p.set(
            ParamName::PrivateKeywords,
            r#""help", ["buy", "~sell"]"#,
            Plan::Free,
        )
        .unwrap();
        let json = params_to_json(&p);
        assert_eq!(params_from_json(&json).unwrap(), p);
        assert_eq!(params_from_json("{}").unwrap(), Params::default());
        assert!(params_from_json(r#"{"AUTOCLOSE":"soon"}"#).is_err());
        assert!(params_from_json("[]").is_err());
    }
}
