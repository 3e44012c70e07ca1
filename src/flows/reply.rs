//! Replies to Flow requests: the next screen, the final `SUCCESS`, and the fixed answers to a ping
//! and to an error notification.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

/// A reply to a Flow request; encrypt it with
/// [`DecryptedRequest::encrypt_response`](super::DecryptedRequest::encrypt_response).
///
/// ```
/// use whatsapp_cloud::flows::{FlowReply, NextScreen, Success};
/// use serde_json::json;
///
/// let next: FlowReply = NextScreen::new("APPOINTMENT")
///     .field("department", json!([{"id": "beauty", "title": "Beauty"}]))
///     .into();
/// assert_eq!(
///     serde_json::to_string(&next)?,
///     r#"{"screen":"APPOINTMENT","data":{"department":[{"id":"beauty","title":"Beauty"}]}}"#
/// );
///
/// let done: FlowReply = Success::new("flowtoken-7f3a").param("appointment_id", "A-1042").into();
/// assert_eq!(
///     serde_json::to_string(&done)?,
///     r#"{"screen":"SUCCESS","data":{"extension_message_response":{"params":{"flow_token":"flowtoken-7f3a","appointment_id":"A-1042"}}}}"#
/// );
/// assert_eq!(serde_json::to_string(&FlowReply::ping())?, r#"{"data":{"status":"active"}}"#);
/// assert_eq!(serde_json::to_string(&FlowReply::error_acknowledged())?, r#"{"data":{"acknowledged":true}}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FlowReply {
    /// Show a screen: `{"screen", "data"}`.
    NextScreen(NextScreen),
    /// Close the Flow: `{"screen": "SUCCESS", "data": {"extension_message_response": {"params"}}}`.
    Success(Success),
    /// The answer to a `ping`: `{"data": {"status": "active"}}`.
    Ping,
    /// The answer to an error notification: `{"data": {"acknowledged": true}}`.
    ErrorAcknowledged,
}

impl FlowReply {
    /// The answer to a health check (`action: ping`).
    pub fn ping() -> Self {
        Self::Ping
    }

    /// The answer to an error notification.
    pub fn error_acknowledged() -> Self {
        Self::ErrorAcknowledged
    }
}

impl From<NextScreen> for FlowReply {
    fn from(screen: NextScreen) -> Self {
        Self::NextScreen(screen)
    }
}

impl From<Success> for FlowReply {
    fn from(success: Success) -> Self {
        Self::Success(success)
    }
}

impl Serialize for FlowReply {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::NextScreen(screen) => screen.serialize(serializer),
            Self::Success(success) => success.serialize(serializer),
            Self::Ping => serde_json::json!({"data": {"status": "active"}}).serialize(serializer),
            Self::ErrorAcknowledged => {
                serde_json::json!({"data": {"acknowledged": true}}).serialize(serializer)
            }
        }
    }
}

/// The next screen to show, with the data its layout reads (`${data.<field>}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NextScreen {
    /// The screen id from the Flow JSON.
    pub screen: String,
    /// The screen's data.
    pub data: Map<String, Value>,
}

impl NextScreen {
    /// A reply showing `screen` with no data yet.
    pub fn new(screen: impl Into<String>) -> Self {
        Self {
            screen: screen.into(),
            data: Map::new(),
        }
    }

    /// Sets one data field.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.data.insert(name.into(), value.into());
        self
    }

    /// Shows `message` in a snackbar on the screen (`data.error_message`), for example when a
    /// submitted value is refused.
    #[must_use]
    pub fn error_message(self, message: impl Into<String>) -> Self {
        self.field("error_message", message.into())
    }
}

/// The final reply: WhatsApp closes the Flow and sends the completion message, whose
/// `nfm_reply.response_json` webhook carries `params` (with the flow token).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Success {
    /// The request's flow token (required in `params`).
    pub flow_token: String,
    /// Further parameters, sent after `flow_token`.
    pub params: Map<String, Value>,
}

impl Success {
    /// A `SUCCESS` reply for the Flow with `flow_token`.
    pub fn new(flow_token: impl Into<String>) -> Self {
        Self {
            flow_token: flow_token.into(),
            params: Map::new(),
        }
    }

    /// Adds one parameter (a `flow_token` parameter here is ignored: the token is always sent).
    #[must_use]
    pub fn param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let name = name.into();
        if name != "flow_token" {
            self.params.insert(name, value.into());
        }
        self
    }
}

/// `params`: the flow token first, then the other parameters.
struct Params<'a>(&'a Success);

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.params.len() + 1))?;
        map.serialize_entry("flow_token", &self.0.flow_token)?;
        for (name, value) in &self.0.params {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl Serialize for Success {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Extension<'a> {
            params: Params<'a>,
        }
        #[derive(Serialize)]
        struct Data<'a> {
            extension_message_response: Extension<'a>,
        }
        #[derive(Serialize)]
        struct Reply<'a> {
            screen: &'static str,
            data: Data<'a>,
        }
        Reply {
            screen: "SUCCESS",
            data: Data {
                extension_message_response: Extension {
                    params: Params(self),
                },
            },
        }
        .serialize(serializer)
    }
}
