//! The setup bot's callback data: a typed action with a compact text form (Telegram allows
//! 64 bytes). Anything that does not decode is a stale or forged button and changes nothing.

use hotline_core::params::{ParamName, Plan};
use hotline_core::roles::Role;
use hotline_i18n::Lang;

/// What a button does. Connection ids come first so authorization can be checked before
/// anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    Main,
    Language,
    SetLanguage(Lang),
    New,
    NewBot,
    NewAccount,
    /// A Telegram Business account as the frontend.
    NewBusiness,
    Cancel,
    All,
    Card(i64),
    Params(i64),
    Param(i64, ParamName),
    /// A quick value: on (`true`) or off/`OFF` (`false`).
    ParamSet(i64, ParamName, bool),
    Roles(i64),
    AddMember(i64),
    SetRole(i64, i64, Role),
    Revoke(i64, i64),
    DefaultRoleMenu(i64),
    DefaultRole(i64, Role),
    TeamLanguage(i64),
    SetTeamLanguage(i64, Lang),
    Stop(i64),
    Start(i64),
    ResetKey(i64),
    Delete(i64),
    DeleteYes(i64),
    SetPlan(i64, Plan),
    /// The connection's templates; one of them (connection, template id).
    Templates(i64),
    Template(i64, i64),
    TemplateNew(i64),
    TemplateSave(i64),
    TemplatePreview(i64, i64),
    TemplateRename(i64, i64),
    TemplateDelete(i64, i64),
    TemplateDeleteYes(i64, i64),
}

impl Cb {
    /// The connection the action is about, if any.
    pub fn connection(self) -> Option<i64> {
        use Cb::*;
        match self {
            Main | Language | SetLanguage(_) | New | NewBot | NewAccount | NewBusiness | Cancel
            | All => None,
            Card(c)
            | Params(c)
            | Param(c, _)
            | ParamSet(c, _, _)
            | Roles(c)
            | AddMember(c)
            | SetRole(c, _, _)
            | Revoke(c, _)
            | DefaultRoleMenu(c)
            | DefaultRole(c, _)
            | TeamLanguage(c)
            | SetTeamLanguage(c, _)
            | Stop(c)
            | Start(c)
            | ResetKey(c)
            | Delete(c)
            | DeleteYes(c)
            | SetPlan(c, _)
            | Templates(c)
            | Template(c, _)
            | TemplateNew(c)
            | TemplateSave(c)
            | TemplatePreview(c, _)
            | TemplateRename(c, _)
            | TemplateDelete(c, _)
            | TemplateDeleteYes(c, _) => Some(c),
        }
    }

    pub fn encode(self) -> String {
        use Cb::*;
        match self {
            Main => "main".into(),
            Language => "lang".into(),
            SetLanguage(l) => format!("lang:{}", l.code()),
            New => "new".into(),
            NewBot => "new:bot".into(),
            NewAccount => "new:account".into(),
            NewBusiness => "new:business".into(),
            Cancel => "cancel".into(),
            All => "all".into(),
            Card(c) => format!("c:{c}"),
            Params(c) => format!("p:{c}"),
            Param(c, p) => format!("p:{c}:{}", p.as_str()),
            ParamSet(c, p, on) => {
                format!("ps:{c}:{}:{}", p.as_str(), if on { "on" } else { "off" })
            }
            Roles(c) => format!("r:{c}"),
            AddMember(c) => format!("ra:{c}"),
            SetRole(c, u, r) => format!("rs:{c}:{u}:{}", r.as_str()),
            Revoke(c, u) => format!("rr:{c}:{u}"),
            DefaultRoleMenu(c) => format!("rd:{c}"),
            DefaultRole(c, r) => format!("rd:{c}:{}", r.as_str()),
            TeamLanguage(c) => format!("tl:{c}"),
            SetTeamLanguage(c, l) => format!("tl:{c}:{}", l.code()),
            Stop(c) => format!("stop:{c}"),
            Start(c) => format!("start:{c}"),
            ResetKey(c) => format!("key:{c}"),
            Delete(c) => format!("del:{c}"),
            DeleteYes(c) => format!("del:{c}:yes"),
            SetPlan(c, p) => format!("plan:{c}:{}", p.as_str()),
            Templates(c) => format!("t:{c}"),
            Template(c, t) => format!("t:{c}:{t}"),
            TemplateNew(c) => format!("tn:{c}"),
            TemplateSave(c) => format!("ts:{c}"),
            TemplatePreview(c, t) => format!("tp:{c}:{t}"),
            TemplateRename(c, t) => format!("tr:{c}:{t}"),
            TemplateDelete(c, t) => format!("td:{c}:{t}"),
            TemplateDeleteYes(c, t) => format!("td:{c}:{t}:yes"),
        }
    }

    pub fn decode(data: &str) -> Option<Cb> {
        let parts: Vec<&str> = data.split(':').collect();
        let id = |i: usize| parts.get(i).and_then(|s| s.parse::<i64>().ok());
        let at = |i: usize| parts.get(i).copied();
        Some(match (parts.len(), *parts.first()?) {
            (1, "main") => Cb::Main,
            (1, "lang") => Cb::Language,
            (2, "lang") => Cb::SetLanguage(Lang::parse(at(1)?)?),
            (1, "new") => Cb::New,
            (2, "new") if at(1) == Some("bot") => Cb::NewBot,
            (2, "new") if at(1) == Some("account") => Cb::NewAccount,
            (2, "new") if at(1) == Some("business") => Cb::NewBusiness,
            (1, "cancel") => Cb::Cancel,
            (1, "all") => Cb::All,
            (2, "c") => Cb::Card(id(1)?),
            (2, "p") => Cb::Params(id(1)?),
            (3, "p") => Cb::Param(id(1)?, exact_param(at(2)?)?),
            (4, "ps") => Cb::ParamSet(
                id(1)?,
                exact_param(at(2)?)?,
                match at(3)? {
                    "on" => true,
                    "off" => false,
                    _ => return None,
                },
            ),
            (2, "r") => Cb::Roles(id(1)?),
            (2, "ra") => Cb::AddMember(id(1)?),
            (4, "rs") => Cb::SetRole(id(1)?, id(2)?, Role::parse(at(3)?)?),
            (3, "rr") => Cb::Revoke(id(1)?, id(2)?),
            (2, "rd") => Cb::DefaultRoleMenu(id(1)?),
            (3, "rd") => Cb::DefaultRole(id(1)?, Role::parse(at(2)?)?),
            (2, "tl") => Cb::TeamLanguage(id(1)?),
            (3, "tl") => Cb::SetTeamLanguage(id(1)?, Lang::parse(at(2)?)?),
            (2, "stop") => Cb::Stop(id(1)?),
            (2, "start") => Cb::Start(id(1)?),
            (2, "key") => Cb::ResetKey(id(1)?),
            (2, "del") => Cb::Delete(id(1)?),
            (3, "del") if at(2) == Some("yes") => Cb::DeleteYes(id(1)?),
            (3, "plan") => Cb::SetPlan(id(1)?, Plan::parse(at(2)?)?),
            (2, "t") => Cb::Templates(id(1)?),
            (3, "t") => Cb::Template(id(1)?, id(2)?),
            (2, "tn") => Cb::TemplateNew(id(1)?),
            (2, "ts") => Cb::TemplateSave(id(1)?),
            (3, "tp") => Cb::TemplatePreview(id(1)?, id(2)?),
            (3, "tr") => Cb::TemplateRename(id(1)?, id(2)?),
            (3, "td") => Cb::TemplateDelete(id(1)?, id(2)?),
            (4, "td") if at(3) == Some("yes") => Cb::TemplateDeleteYes(id(1)?, id(2)?),
            _ => return None,
        })
    }
}

/// Every action that names connection `c` (member or template `u` where one is named): what
/// authorization must guard, and what the forged-callback scenario presses.
pub fn connection_scoped(c: i64, u: i64) -> Vec<Cb> {
    let mut v = vec![
        Cb::Card(c),
        Cb::Params(c),
        Cb::Roles(c),
        Cb::AddMember(c),
        Cb::Revoke(c, u),
        Cb::DefaultRoleMenu(c),
        Cb::TeamLanguage(c),
        Cb::Stop(c),
        Cb::Start(c),
        Cb::ResetKey(c),
        Cb::Delete(c),
        Cb::DeleteYes(c),
        Cb::Templates(c),
        Cb::Template(c, u),
        Cb::TemplateNew(c),
        Cb::TemplateSave(c),
        Cb::TemplatePreview(c, u),
        Cb::TemplateRename(c, u),
        Cb::TemplateDelete(c, u),
        Cb::TemplateDeleteYes(c, u),
    ];
    for p in [Plan::Free, Plan::Paid] {
        v.push(Cb::SetPlan(c, p));
    }
    for l in Lang::ALL {
        v.push(Cb::SetTeamLanguage(c, l));
    }
    for p in ParamName::ALL {
        v.push(Cb::Param(c, p));
        v.push(Cb::ParamSet(c, p, true));
        v.push(Cb::ParamSet(c, p, false));
    }
    for r in Role::ALL {
        v.push(Cb::SetRole(c, u, r));
        v.push(Cb::DefaultRole(c, r));
    }
    v
}

/// Parameter names in callback data are exactly as encoded (no case folding or spaces).
fn exact_param(s: &str) -> Option<ParamName> {
    ParamName::ALL.into_iter().find(|p| p.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every(c: i64, u: i64) -> Vec<Cb> {
        let mut v = vec![
            Cb::Main,
            Cb::Language,
            Cb::New,
            Cb::NewBot,
            Cb::NewAccount,
            Cb::NewBusiness,
            Cb::Cancel,
            Cb::All,
        ];
        for l in Lang::ALL {
            v.push(Cb::SetLanguage(l));
        }
        v.extend(connection_scoped(c, u));
        v
    }

    #[test]
    fn connection_scoped_lists_every_action_that_names_a_connection() {
        let scoped = connection_scoped(7, 9);
        assert!(scoped.iter().all(|cb| cb.connection() == Some(7)));
        for cb in every(7, 9) {
            assert_eq!(cb.connection().is_some(), scoped.contains(&cb), "{cb:?}");
        }
    }

    #[test]
    fn every_action_round_trips_within_64_bytes() {
        for (c, u) in [(1, 1), (i64::MAX, i64::MAX), (-1, -1)] {
            for cb in every(c, u) {
                let data = cb.encode();
                assert!(data.len() <= 64, "{data} is {} bytes", data.len());
                assert_eq!(Cb::decode(&data), Some(cb), "{data}");
            }
        }
    }

    #[test]
    fn garbage_decodes_to_nothing() {
        for data in [
            "",
            ":",
            "c",
            "c:x",
            "c:1:2",
            "p:1:welcome",
            "p:1:NOPE",
            "ps:1:WELCOME:maybe",
            "rs:1:2:king",
            "del:1:no",
            "plan:1:gold",
            "lang:fr",
            "new:fax",
            "t:1:x",
            "td:1:2:no",
            "tn:1:2",
            "c:99999999999999999999",
        ] {
            assert_eq!(Cb::decode(data), None, "{data:?}");
        }
    }
}
