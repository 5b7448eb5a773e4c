//! Plan limits: [`Plan`], what the free plan refuses ([`ParamValue::check_plan`],
//! answered with a [`PlanRefusal`]) and the parameters the runtime uses on a plan
//! ([`Params::effective`]).

use crate::dialog::KindSet;

use super::Params;
use super::errors::PlanRefusal;
use super::names::ParamName;
use super::value::ParamValue;
use super::values::{AutocloseHours, WelcomeText};
use super::webhooks::Webhooks;

/// The default AUTOCLOSE, and the most the free plan allows.
pub const FREE_AUTOCLOSE_MAX_HOURS: u32 = 48;

/// Broadcast recipients the free plan allows per calendar month and connection.
pub const FREE_BROADCAST_PER_MONTH: i64 = 200;

/// A connection's plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plan {
    Free,
    Paid,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Paid => "paid",
        }
    }

    /// Broadcast recipients allowed per calendar month (`None`: unlimited).
    pub fn broadcast_limit(self) -> Option<i64> {
        match self {
            Plan::Free => Some(FREE_BROADCAST_PER_MONTH),
            Plan::Paid => None,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "free" => Some(Plan::Free),
            "paid" => Some(Plan::Paid),
            _ => None,
        }
    }
}

impl ParamValue {
    /// Whether `plan` allows this value.
    pub fn check_plan(&self, plan: Plan) -> Result<(), PlanRefusal> {
        if plan == Plan::Paid {
            return Ok(());
        }
        match self {
            ParamValue::Welcome(None) => Err(PlanRefusal::WelcomeRequired),
            ParamValue::Autoclose(h) if h.is_none_or(|h| h.get() > FREE_AUTOCLOSE_MAX_HOURS) => {
                Err(PlanRefusal::AutocloseTooLong {
                    max: FREE_AUTOCLOSE_MAX_HOURS,
                    requested: h.map(AutocloseHours::get),
                })
            }
            ParamValue::HideInfo(s) if !s.is_empty() => {
                Err(PlanRefusal::PaidOnly(ParamName::HideInfo))
            }
            ParamValue::LeaveClosed(k) if *k != KindSet::EMPTY => {
                Err(PlanRefusal::PaidOnly(ParamName::LeaveClosed))
            }
            ParamValue::Webhooks(w) if !w.is_empty() => {
                Err(PlanRefusal::PaidOnly(ParamName::Webhooks))
            }
            _ => Ok(()),
        }
    }
}

impl Params {
    /// The stored values `plan` does not allow (e.g. after a downgrade), in [`ParamName::ALL`]
    /// order.
    pub fn plan_refusals(&self, plan: Plan) -> Vec<PlanRefusal> {
        ParamName::ALL
            .into_iter()
            .filter_map(|n| self.get(n).check_plan(plan).err())
            .collect()
    }

    /// What the runtime uses on `plan`: on the free plan an `OFF` WELCOME is the default
    /// greeting, AUTOCLOSE is at most 48 hours, and the paid-only parameters are empty. The
    /// stored values stay, so an upgrade brings them back.
    pub fn effective(&self, plan: Plan) -> Params {
        let mut p = self.clone();
        if plan == Plan::Free {
            if p.welcome.is_none() {
                p.welcome = Some(WelcomeText::default_greeting());
            }
            let max = AutocloseHours(FREE_AUTOCLOSE_MAX_HOURS);
            p.autoclose = Some(p.autoclose.map_or(max, |h| h.min(max)));
            p.hide_info.clear();
            p.leave_closed = KindSet::EMPTY;
            p.webhooks = Webhooks::default();
        }
        p
    }
}
