//! The read of the listed fields (calls, echoes, state sync, history, groups), inside tier 3:
//! the value as a `serde_json::Value`, then `metadata`, `contacts`, `errors` and each item of the
//! field's list on its own, as tier 4 reads a `messages` value. These fields are rare next to
//! `messages`, so they have no faster reader. Messages inside echoes and history threads go
//! through tier 4's message reader, so every message kind it knows is typed here too.

use super::item_by_item::{items, items_with, message_from_raw, metadata_and_contacts};
use crate::error::ErrorObject;
use crate::ids::UserId;
use crate::webhook::echoes::MessageEcho;
use crate::webhook::history::{
    HistoryChunk, HistoryMessage, HistoryMetadata, HistoryStatus, HistoryThread,
};
use crate::webhook::item_lists::{ListedItems, ListedValue, ValueHead};
use crate::webhook::lenient::opt_string_any;
use crate::webhook::payload::ChangeData;
use crate::webhook::user_ref::UserRef;
use serde::Deserialize;
use serde_json::Value;

/// Reads the value of a listed field; `None` when `field` is not one.
pub(super) fn parse(field: &str, value: &str) -> Option<ChangeData<'static>> {
    let list = match field {
        "calls" => "calls",
        "smb_message_echoes" => "message_echoes",
        "smb_app_state_sync" => "state_sync",
        "history" => "history",
        "group_lifecycle_update"
        | "group_participants_update"
        | "group_settings_update"
        | "group_status_update" => "groups",
        _ => return None,
    };
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(value) else {
        return Some(ChangeData::Invalid(format!(
            "the value of a `{field}` change must be an object"
        )));
    };
    let mut malformed = Vec::new();
    let (metadata, contacts) = metadata_and_contacts(&mut map, &mut malformed);
    let head = ValueHead {
        metadata,
        contacts,
        errors: items::<ErrorObject>(map.remove("errors")),
        malformed,
    };
    let list = map.remove(list);
    let items = match field {
        "calls" => ListedItems::Calls {
            calls: items(list),
            statuses: items(map.remove("statuses")),
        },
        "smb_message_echoes" => ListedItems::Echoes(items_with(list, echo)),
        "smb_app_state_sync" => ListedItems::StateSync(items(list)),
        "history" => ListedItems::History {
            chunks: items_with(list, chunk),
            messages: match map.remove("messages") {
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|m| message_from_raw(&m.to_string()).into_owned())
                    .collect(),
                None | Some(Value::Null) => Vec::new(),
                Some(other) => vec![message_from_raw(&other.to_string()).into_owned()],
            },
            echoes: items_with(map.remove("message_echoes"), echo),
        },
        "group_lifecycle_update" => ListedItems::GroupLifecycle(items(list)),
        "group_participants_update" => ListedItems::GroupParticipants(items(list)),
        "group_settings_update" => ListedItems::GroupSettings(items(list)),
        _ => ListedItems::GroupStatus(items(list)),
    };
    Some(ChangeData::Listed(Box::new(ListedValue { head, items })))
}

/// The user an echo went to; the rest of the echo is a message.
#[derive(Deserialize)]
struct EchoTarget {
    #[serde(default, deserialize_with = "opt_string_any")]
    to: Option<String>,
    #[serde(default)]
    to_user_id: Option<UserId>,
    #[serde(default)]
    to_parent_user_id: Option<String>,
}

fn echo(raw: &Value) -> Result<MessageEcho, String> {
    let target = EchoTarget::deserialize(raw).map_err(|e| e.to_string())?;
    Ok(MessageEcho {
        message: message_from_raw(&raw.to_string()).into_owned(),
        to: target.to,
        to_user_id: target.to_user_id,
        to_parent_user_id: target.to_parent_user_id,
    })
}

#[derive(Deserialize)]
struct WireChunk {
    #[serde(default)]
    metadata: Option<HistoryMetadata>,
    #[serde(default)]
    errors: Vec<ErrorObject>,
    #[serde(default)]
    threads: Option<Value>,
}

fn chunk(raw: &Value) -> Result<HistoryChunk, String> {
    let w = WireChunk::deserialize(raw).map_err(|e| e.to_string())?;
    Ok(HistoryChunk {
        metadata: w.metadata,
        errors: w.errors,
        threads: items_with(w.threads, thread),
    })
}

#[derive(Deserialize)]
struct WireThread {
    #[serde(default, deserialize_with = "opt_string_any")]
    id: Option<String>,
    #[serde(default)]
    context: Option<UserRef>,
    #[serde(default)]
    messages: Vec<Value>,
}

/// The extra keys of a history message; the rest is a message.
#[derive(Deserialize)]
struct HistoryExtras {
    #[serde(default, deserialize_with = "opt_string_any")]
    to: Option<String>,
    #[serde(default)]
    history_context: Option<HistoryContext>,
}

#[derive(Deserialize)]
struct HistoryContext {
    #[serde(default)]
    status: Option<HistoryStatus>,
}

/// A thread: unreadable when its context or its extra message keys do not read (a message whose
/// content does not read keeps its place, with invalid content).
fn thread(raw: &Value) -> Result<HistoryThread, String> {
    let w = WireThread::deserialize(raw).map_err(|e| e.to_string())?;
    let messages = w
        .messages
        .iter()
        .map(|m| {
            let extras = HistoryExtras::deserialize(m).map_err(|e| format!("a message: {e}"))?;
            Ok(HistoryMessage {
                message: message_from_raw(&m.to_string()).into_owned(),
                to: extras.to,
                status: extras.history_context.and_then(|c| c.status),
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(HistoryThread {
        id: w.id,
        context: w.context,
        messages,
    })
}
