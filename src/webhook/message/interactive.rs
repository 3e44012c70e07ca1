//! The user's answers: interactive replies, quick-reply button taps and reactions.

use crate::ids::MessageId;
use crate::webhook::lenient::opt_u64_any;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The user's answer to an interactive message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InteractiveReply {
    /// A reply button was tapped.
    ButtonReply(ButtonReply),
    /// A list row was chosen.
    ListReply(ListReply),
    /// A flow was completed (`nfm_reply`).
    FlowReply(FlowReply),
    /// The user answered a call-permission request.
    CallPermissionReply(CallPermissionReply),
    /// An interactive reply type this version does not model; the `interactive` object is kept.
    Unknown {
        /// The interactive `type`.
        kind: String,
        /// The `interactive` object as sent.
        raw: serde_json::Value,
    },
}

/// A tapped reply button (`interactive.button_reply`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ButtonReply {
    /// The id you gave the button.
    pub id: String,
    /// The button's title.
    pub title: String,
}

/// A chosen list row (`interactive.list_reply`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListReply {
    /// The id you gave the row.
    pub id: String,
    /// The row's title.
    pub title: String,
    /// The row's description, when it had one.
    #[serde(default)]
    pub description: Option<String>,
}

/// A completed flow (`interactive.nfm_reply`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FlowReply {
    /// `flow` for flows.
    #[serde(default)]
    pub name: Option<String>,
    /// The text shown in the chat, such as `Sent`.
    #[serde(default)]
    pub body: Option<String>,
    /// The flow's response as Meta sends it: a JSON document encoded in a string.
    pub response_json: String,
}

impl FlowReply {
    /// The flow's response parsed (it includes `flow_token` when one was set).
    ///
    /// # Errors
    /// When `response_json` is not valid JSON.
    pub fn response(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&self.response_json)
    }

    /// The `flow_token` inside the response, when present.
    pub fn flow_token(&self) -> Option<String> {
        let v = self.response().ok()?;
        v.get("flow_token")?.as_str().map(str::to_owned)
    }
}

/// The answer to a call-permission request (`interactive.call_permission_reply`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallPermissionReply {
    /// `accept` or `reject`.
    pub response: String,
    /// Until when the permission holds (unix seconds), when accepted.
    #[serde(default, deserialize_with = "opt_u64_any")]
    pub expiration_timestamp: Option<u64>,
    /// What produced the answer (`user_action`, `automatic`).
    #[serde(default)]
    pub response_source: Option<String>,
}

impl CallPermissionReply {
    /// True when the user allowed calls.
    pub fn accepted(&self) -> bool {
        self.response.eq_ignore_ascii_case("accept")
    }
}

/// A tap on a template quick-reply button (`type: "button"`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ButtonTap {
    /// The payload you set on the button when sending the template.
    #[serde(default)]
    pub payload: Option<String>,
    /// The button's label.
    pub text: String,
}

/// An emoji reaction to one of your messages.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reaction {
    /// The message reacted to.
    pub message_id: MessageId,
    /// The emoji; absent (current docs) or `""` (older payloads) when the reaction was removed.
    #[serde(default)]
    pub emoji: Option<String>,
}

impl Reaction {
    /// The emoji, or `None` when the reaction was removed.
    pub fn emoji(&self) -> Option<&str> {
        self.emoji.as_deref().filter(|e| !e.is_empty())
    }

    /// True when the user removed their reaction.
    pub fn is_removed(&self) -> bool {
        self.emoji().is_none()
    }
}
