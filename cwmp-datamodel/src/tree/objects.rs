//! AddObject and DeleteObject (TR-069 A.3.2.6, A.3.2.7) with instance numbers that are never
//! reused.

use cwmp_core::fault::{Fault, FaultCode};

use super::backend::{Backend, Node};
use super::names::{instance_number, is_object, is_under, parent};
use super::parameter_tree::{ParameterTree, fault};
use super::schema_adapter;

impl<B: Backend> ParameterTree<B> {
    /// AddObject (TR-069 A.3.2.6): a new instance of the table `object_name` (ending with
    /// `.`). 9005 when it is not a table, 9001 when the device does not let the ACS add rows,
    /// 9004 at the schema's `maxEntries`. The number is one above every number this table
    /// ever used (kept in the [`TreeState`](super::TreeState)), never one of a deleted row.
    ///
    /// ParameterKey is not touched here: [`handle`](Self::handle) applies it.
    pub async fn add_object(&mut self, object_name: &str) -> Result<u32, Fault<'static>> {
        let not_table = || {
            fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("{object_name} is not a table"),
            )
        };
        if !is_object(object_name) || instance_number(object_name).is_some() {
            return Err(not_table());
        }
        let writable = match self.backend.node(object_name).await? {
            Some(Node::Object {
                table: true,
                writable,
            }) => writable,
            _ => return Err(not_table()),
        };
        if !writable {
            return Err(fault(
                FaultCode::REQUEST_DENIED,
                format!("{object_name} does not accept AddObject"),
            ));
        }
        let rows: Vec<u32> = self
            .backend
            .children(object_name)
            .await?
            .iter()
            .filter_map(|(n, _)| instance_number(n))
            .collect();
        if let Some(max) = self
            .schema
            .as_deref()
            .and_then(|s| schema_adapter::max_entries(s, object_name))
        {
            if rows.len() >= max as usize {
                return Err(fault(
                    FaultCode::RESOURCES_EXCEEDED,
                    format!("{object_name} has its maximum of {max} rows"),
                ));
            }
        }
        let above_rows = rows.iter().max().map_or(1, |m| m.saturating_add(1));
        let counter = self
            .state
            .next_instance
            .get(object_name)
            .copied()
            .unwrap_or(1);
        let number = counter.max(above_rows);
        if number == u32::MAX {
            return Err(fault(
                FaultCode::RESOURCES_EXCEEDED,
                format!("{object_name} has used every instance number"),
            ));
        }
        self.backend.add_instance(object_name, number).await?;
        self.state
            .next_instance
            .insert(object_name.to_owned(), number.saturating_add(1));
        Ok(number)
    }

    /// DeleteObject (TR-069 A.3.2.7) of an instance (`X.Y.3.`) of a table that lets the ACS
    /// delete rows; 9005 otherwise. Attributes and notifications of everything below it are
    /// forgotten; its number is not given out again.
    ///
    /// ParameterKey is not touched here: [`handle`](Self::handle) applies it.
    pub async fn delete_object(&mut self, object_name: &str) -> Result<(), Fault<'static>> {
        let not_instance = || {
            fault(
                FaultCode::INVALID_PARAMETER_NAME,
                format!("{object_name} is not a deletable instance"),
            )
        };
        let (Some(number), Some(table)) = (instance_number(object_name), parent(object_name))
        else {
            return Err(not_instance());
        };
        match self.backend.node(object_name).await? {
            Some(Node::Object { writable: true, .. }) => {}
            _ => return Err(not_instance()),
        }
        match self.backend.node(table).await? {
            Some(Node::Object { table: true, .. }) => {}
            _ => return Err(not_instance()),
        }
        self.backend.delete_instance(object_name).await?;
        let next = self
            .state
            .next_instance
            .entry(table.to_owned())
            .or_insert(1);
        *next = (*next).max(number.saturating_add(1));
        self.state
            .attributes
            .retain(|k, _| !is_under(k, object_name));
        self.state.reported.retain(|k, _| !is_under(k, object_name));
        self.notifier.forget_under(object_name);
        Ok(())
    }
}
