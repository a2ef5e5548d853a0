//! GetParameterAttributes and SetParameterAttributes (TR-069 A.3.2.4, A.3.2.5).

use std::borrow::Cow;

use cwmp_core::fault::{Fault, FaultCode};
use cwmp_core::filetype::Notification;
use cwmp_core::rpc::{ParameterAttribute, SetParameterAttribute};

use super::backend::Backend;
use super::parameter_tree::{ParameterTree, fault};
use super::schema_adapter;
use super::state::Attributes;
use crate::types::ActiveNotify;

/// The only AccessList entry TR-069 defines.
pub const SUBSCRIBER: &str = "Subscriber";

/// Whether a notification value asks for an active form (2 active, 5 active lightweight,
/// 6 passive and active lightweight).
fn is_active(n: Notification) -> bool {
    matches!(n.get(), 2 | 5 | 6)
}

impl<B: Backend> ParameterTree<B> {
    fn default_attributes(&self, name: &str) -> Attributes {
        Attributes {
            notification: self
                .schema
                .as_deref()
                .map(|s| schema_adapter::default_notification(s, name))
                .unwrap_or(Notification::OFF),
            access_list: Vec::new(),
        }
    }

    /// The attributes of a parameter: what the ACS set, else the default (active for
    /// `activeNotify="forceEnabled"`/`"forceDefaultEnabled"`, off otherwise).
    pub fn attributes(&self, name: &str) -> Attributes {
        self.state
            .attributes
            .get(name)
            .cloned()
            .unwrap_or_else(|| self.default_attributes(name))
    }

    /// GetParameterAttributes (TR-069 A.3.2.5): parameters or partial paths, 9005 unknown.
    pub async fn get_parameter_attributes(
        &self,
        names: &[Cow<'_, str>],
    ) -> Result<Vec<ParameterAttribute<'static>>, Fault<'static>> {
        let mut out = Vec::new();
        for name in names {
            for (n, _, _) in self.expand(name).await? {
                let a = self.attributes(&n);
                out.push(ParameterAttribute {
                    name: n.into(),
                    notification: a.notification,
                    access_list: a.access_list.into_iter().map(Cow::Owned).collect(),
                });
            }
        }
        Ok(out)
    }

    fn refuses_active(&self, name: &str) -> bool {
        let by_schema = self
            .schema
            .as_deref()
            .is_some_and(|s| schema_adapter::active_notify(s, name) == ActiveNotify::CanDeny);
        by_schema
            || self
                .deny_active
                .iter()
                .any(|d| name == d || (d.ends_with('.') && name.starts_with(d.as_str())))
    }

    fn check_notification(&self, name: &str, n: Notification) -> Result<(), Fault<'static>> {
        if is_active(n) && self.refuses_active(name) {
            return Err(fault(
                FaultCode::NOTIFICATION_REQUEST_REJECTED,
                format!("active notification refused for {name}"),
            ));
        }
        let forced = self
            .schema
            .as_deref()
            .is_some_and(|s| schema_adapter::active_notify(s, name) == ActiveNotify::ForceEnabled);
        if forced && n != Notification::ACTIVE {
            return Err(fault(
                FaultCode::NOTIFICATION_REQUEST_REJECTED,
                format!("{name} is always notified actively"),
            ));
        }
        Ok(())
    }

    /// SetParameterAttributes (TR-069 A.3.2.4): all or nothing. Notification must be 0–6
    /// (else 9003); active notification on a parameter that refuses it, or turning off a
    /// `forceEnabled` one, is 9009; unknown names 9005; AccessList entries other than
    /// `Subscriber` 9003. Turning notification on records the current value as the one the
    /// ACS knows.
    pub async fn set_parameter_attributes(
        &mut self,
        list: &[SetParameterAttribute<'_>],
    ) -> Result<(), Fault<'static>> {
        let mut plan = Vec::new();
        for a in list {
            if a.notification_change && !a.notification.is_defined() {
                return Err(fault(
                    FaultCode::INVALID_ARGUMENTS,
                    format!("notification {} is not 0-6", a.notification.get()),
                ));
            }
            if a.access_list_change {
                if let Some(bad) = a.access_list.iter().find(|e| e.as_ref() != SUBSCRIBER) {
                    return Err(fault(
                        FaultCode::INVALID_ARGUMENTS,
                        format!("unknown AccessList entry {bad}"),
                    ));
                }
            }
            let targets = self.expand(&a.name).await?;
            if a.notification_change {
                for (n, _, _) in &targets {
                    self.check_notification(n, a.notification)?;
                }
            }
            plan.push((targets, a));
        }
        for (targets, a) in plan {
            for (name, value, _) in targets {
                let mut attrs = self.attributes(&name);
                if a.notification_change {
                    let was_off = attrs.notification == Notification::OFF;
                    attrs.notification = a.notification;
                    if a.notification == Notification::OFF {
                        self.state.reported.remove(&name);
                        self.notifier.forget(&name);
                    } else if was_off || !self.state.reported.contains_key(&name) {
                        self.state
                            .reported
                            .insert(name.clone(), value.text.into_owned());
                    }
                }
                if a.access_list_change {
                    attrs.access_list = a.access_list.iter().map(|s| s.to_string()).collect();
                }
                if attrs == self.default_attributes(&name) {
                    self.state.attributes.remove(&name);
                } else {
                    self.state.attributes.insert(name, attrs);
                }
            }
        }
        Ok(())
    }
}
