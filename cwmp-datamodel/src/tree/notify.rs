//! Value-change notifications (TR-069 §3.2.1 and A.3.2.4): local changes of parameters whose
//! Notification attribute is on become `4 VALUE CHANGE` in the next Inform (passive) or a
//! session due now (active), never for a change the ACS made itself.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use cwmp_core::fault::Fault;
use cwmp_core::filetype::Notification;
use cwmp_core::rpc::ParameterValue;
use cwmp_core::value::Value;

use super::backend::{Backend, Node};
use super::names::is_under;
use super::parameter_tree::ParameterTree;

/// Whether the Inform carries the parameter when it changed (1 passive, 2 active, 4 and 6
/// include passive).
fn in_inform(n: Notification) -> bool {
    matches!(n.get(), 1 | 2 | 4 | 6)
}

/// Whether a change opens a session (2 active).
fn opens_session(n: Notification) -> bool {
    n == Notification::ACTIVE
}

/// Whether a change goes into a UDP lightweight notification (3–6, CWMP 1.4 Annex M).
fn is_lightweight(n: Notification) -> bool {
    matches!(n.get(), 3..=6)
}

#[derive(Debug, Clone)]
struct Change {
    value: Value<'static>,
    active: bool,
}

/// The runtime part of the notification state (not persisted: a `4 VALUE CHANGE` does not
/// survive a reboot).
#[derive(Debug, Clone, Default)]
pub(crate) struct Notifier {
    pending: BTreeMap<String, Change>,
    lightweight: BTreeMap<String, Value<'static>>,
    active_since: Option<Instant>,
    pub(crate) last_session_end: Option<Instant>,
    pub(crate) throttle: Duration,
}

impl Notifier {
    pub(crate) fn forget(&mut self, name: &str) {
        self.pending.remove(name);
        self.lightweight.remove(name);
        self.recompute();
    }

    pub(crate) fn forget_under(&mut self, object: &str) {
        self.pending.retain(|k, _| !is_under(k, object));
        self.lightweight.retain(|k, _| !is_under(k, object));
        self.recompute();
    }

    fn recompute(&mut self) {
        if !self.pending.values().any(|c| c.active) {
            self.active_since = None;
        }
    }
}

/// What the next Inform carries from the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InformParameters {
    /// The forced-inform parameters, then every changed parameter with passive or active
    /// notification (each name once).
    pub parameters: Vec<ParameterValue<'static>>,
    /// Whether `4 VALUE CHANGE` belongs in the Inform's events.
    pub value_change: bool,
    /// The names whose change is notified (a subset of `parameters`' names).
    pub changed: Vec<String>,
}

impl<B: Backend> ParameterTree<B> {
    /// The ACS itself has seen (set) this value: it becomes the reference, and any pending
    /// notification of it is dropped.
    pub(crate) fn acs_saw(&mut self, name: &str, text: &str) {
        let tracked = self.state.reported.contains_key(name)
            || self.attributes(name).notification != Notification::OFF;
        if tracked {
            self.state.reported.insert(name.to_owned(), text.to_owned());
        }
        self.notifier.forget(name);
    }

    /// Reports a local change (by the device, the subscriber, a protocol: anything but the
    /// ACS) of parameter `name` to `value`, at `now`. Returns whether it will be notified.
    ///
    /// Passive notification (1, and 4/6) puts the parameter into the next Inform with
    /// `4 VALUE CHANGE`; active (2) also makes a session due ([`session_due`](Self::session_due)).
    /// A value equal to the one the ACS last saw cancels a pending notification (changed and
    /// changed back).
    pub fn changed(&mut self, name: &str, value: Value<'static>, now: Instant) -> bool {
        let n = self.attributes(name).notification;
        if n == Notification::OFF {
            return false;
        }
        if self.state.reported.get(name).map(String::as_str) == Some(value.text.as_ref()) {
            self.notifier.forget(name);
            return false;
        }
        if is_lightweight(n) {
            self.notifier
                .lightweight
                .insert(name.to_owned(), value.clone());
        }
        if !in_inform(n) {
            return is_lightweight(n);
        }
        let active = opens_session(n);
        self.notifier
            .pending
            .insert(name.to_owned(), Change { value, active });
        if active && self.notifier.active_since.is_none() {
            self.notifier.active_since = Some(now);
        }
        true
    }

    /// Compares every parameter with notification on with the value the ACS last saw, and
    /// reports the differences as [`changed`](Self::changed) does. Returns the names found
    /// changed. For devices that cannot report changes as they happen.
    pub async fn poll_changes(&mut self, now: Instant) -> Result<Vec<String>, Fault<'static>> {
        let watched: Vec<String> = self
            .state
            .attributes
            .iter()
            .filter(|(_, a)| a.notification != Notification::OFF)
            .map(|(k, _)| k.clone())
            .collect();
        let mut found = Vec::new();
        for name in watched {
            if let Some(Node::Parameter { value, .. }) = self.backend.node(&name).await? {
                let differs =
                    self.state.reported.get(&name).map(String::as_str) != Some(value.text.as_ref());
                let already = self
                    .notifier
                    .pending
                    .get(&name)
                    .is_some_and(|c| c.value.text == value.text);
                if differs && !already && self.changed(&name, value, now) {
                    found.push(name);
                }
            }
        }
        Ok(found)
    }

    /// When a session is due for active notification: `None` when no active change is
    /// pending; otherwise the time of the first pending change, but not before the last
    /// session's end plus the throttle (`DefaultActiveNotificationThrottle`). A session that
    /// happens earlier for another reason carries the changes anyway.
    pub fn session_due(&self) -> Option<Instant> {
        let since = self.notifier.active_since?;
        let earliest = self
            .notifier
            .last_session_end
            .and_then(|t| t.checked_add(self.notifier.throttle));
        Some(match earliest {
            Some(e) if e > since => e,
            _ => since,
        })
    }

    /// Whether any passive or active change waits for an Inform.
    pub fn has_pending_changes(&self) -> bool {
        !self.notifier.pending.is_empty()
    }

    /// The parameters for the next Inform: the forced-inform parameters (current values; a
    /// hidden one reads empty; ParameterKey from the state) and the pending changes, and
    /// whether `4 VALUE CHANGE` belongs in it.
    pub async fn inform_parameters(&self) -> Result<InformParameters, Fault<'static>> {
        let mut parameters: Vec<ParameterValue<'static>> = Vec::new();
        for name in &self.forced {
            if let Some(Node::Parameter { value, .. }) = self.backend.node(name).await? {
                let value = self.read_value(name, value);
                parameters.push(ParameterValue {
                    name: name.clone().into(),
                    value,
                });
            }
        }
        for (name, change) in &self.notifier.pending {
            let value = self.read_value(name, change.value.clone());
            match parameters.iter_mut().find(|p| p.name == name.as_str()) {
                // a forced-inform parameter that changed carries the changed value
                Some(p) => p.value = value,
                None => parameters.push(ParameterValue {
                    name: name.clone().into(),
                    value,
                }),
            }
        }
        Ok(InformParameters {
            parameters,
            value_change: !self.notifier.pending.is_empty(),
            changed: self.notifier.pending.keys().cloned().collect(),
        })
    }

    /// The ACS accepted an Inform carrying `parameters` (InformResponse received): their
    /// values are now the ones the ACS saw and their notifications are done. A failed Inform
    /// needs no call: the changes stay pending for the retry.
    pub fn inform_acknowledged(&mut self, parameters: &[ParameterValue<'_>]) {
        for p in parameters {
            let name = p.name.as_ref();
            let tracked = self.state.reported.contains_key(name)
                || self.attributes(name).notification != Notification::OFF;
            if !tracked {
                continue;
            }
            let reported_value = match self.notifier.pending.get(name) {
                Some(c) => c.value.text.to_string(),
                None => p.value.text.to_string(),
            };
            let sent_pending = self
                .notifier
                .pending
                .get(name)
                .is_some_and(|c| self.read_value(name, c.value.clone()).text == p.value.text);
            if sent_pending {
                self.notifier.pending.remove(name);
            }
            self.state.reported.insert(name.to_owned(), reported_value);
        }
        self.notifier.recompute();
    }

    /// Takes the changes due for a UDP lightweight notification (Notification 3–6).
    pub fn take_lightweight(&mut self) -> Vec<ParameterValue<'static>> {
        std::mem::take(&mut self.notifier.lightweight)
            .into_iter()
            .map(|(name, value)| ParameterValue {
                name: name.into(),
                value,
            })
            .collect()
    }
}
