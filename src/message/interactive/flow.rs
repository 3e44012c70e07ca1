//! WhatsApp Flows sent in an interactive message.

use crate::error::{ValidationError, Violation};
use crate::limits;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// Whether a flow is sent in its draft or published version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FlowMode {
    /// The draft version (for testing).
    Draft,
    /// The published version (Meta's default).
    Published,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FlowRef {
    Id(String),
    Name(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum FlowAction {
    Navigate {
        screen: String,
        data: Option<Map<String, Value>>,
    },
    DataExchange,
}

/// The flow an interactive flow message opens: by flow id or by flow name (exactly one, which the
/// constructors guarantee), the call-to-action text, and how it starts.
///
/// ```
/// use whatsapp_cloud::message::{Flow, FlowMode};
/// let flow = Flow::by_id("1234567890", "Book now")
///     .mode(FlowMode::Draft)
///     .flow_token("AQAAAAACS5FpgQ_cAAAAAD0QI3s.")
///     .navigate("APPOINTMENT");
/// let json = serde_json::to_value(&flow)?;
/// assert_eq!(json["flow_id"], "1234567890");
/// assert_eq!(json["flow_action_payload"]["screen"], "APPOINTMENT");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Flow {
    pub(super) flow: FlowRef,
    pub(super) cta: String,
    pub(super) mode: Option<FlowMode>,
    pub(super) token: Option<String>,
    pub(super) action: Option<FlowAction>,
}

impl Flow {
    /// The flow with this id; `cta` is the button text (at most 30 characters, no emoji advised).
    pub fn by_id(flow_id: impl Into<String>, cta: impl Into<String>) -> Self {
        Self::with(FlowRef::Id(flow_id.into()), cta.into())
    }

    /// The flow with this name; `cta` is the button text.
    pub fn by_name(flow_name: impl Into<String>, cta: impl Into<String>) -> Self {
        Self::with(FlowRef::Name(flow_name.into()), cta.into())
    }

    pub(super) fn with(flow: FlowRef, cta: String) -> Self {
        Self {
            flow,
            cta,
            mode: None,
            token: None,
            action: None,
        }
    }

    /// Draft or published (Meta's default).
    pub fn mode(mut self, mode: FlowMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// The token echoed back in the flow's responses (Meta's default is `"unused"`).
    pub fn flow_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Opens the flow at `screen` (`flow_action: navigate`).
    pub fn navigate(mut self, screen: impl Into<String>) -> Self {
        self.action = Some(FlowAction::Navigate {
            screen: screen.into(),
            data: None,
        });
        self
    }

    /// Opens the flow at `screen` with initial data (a non-empty JSON object).
    pub fn navigate_with_data(
        mut self,
        screen: impl Into<String>,
        data: Map<String, Value>,
    ) -> Self {
        self.action = Some(FlowAction::Navigate {
            screen: screen.into(),
            data: Some(data),
        });
        self
    }

    /// Asks your flow endpoint for the first screen (`flow_action: data_exchange`).
    pub fn data_exchange(mut self) -> Self {
        self.action = Some(FlowAction::DataExchange);
        self
    }

    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        const P: &str = "interactive.action.parameters";
        match &self.flow {
            FlowRef::Id(id) => limits::id_unbounded(&format!("{P}.flow_id"), id)?,
            FlowRef::Name(name) => limits::id_unbounded(&format!("{P}.flow_name"), name)?,
        }
        limits::required_text(&format!("{P}.flow_cta"), &self.cta, limits::FLOW_CTA_MAX)?;
        if let Some(token) = &self.token {
            limits::non_blank(&format!("{P}.flow_token"), token)?;
        }
        if let Some(FlowAction::Navigate { screen, data }) = &self.action {
            limits::id_unbounded(&format!("{P}.flow_action_payload.screen"), screen)?;
            if data.as_ref().is_some_and(Map::is_empty) {
                return Err(ValidationError::new(
                    format!("{P}.flow_action_payload.data"),
                    Violation::Empty,
                ));
            }
        }
        Ok(())
    }
}

impl Serialize for Flow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[skip_serializing_none]
        #[derive(Serialize)]
        struct Payload<'a> {
            screen: &'a str,
            data: Option<&'a Map<String, Value>>,
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("flow_message_version", "3")?;
        match &self.flow {
            FlowRef::Id(id) => map.serialize_entry("flow_id", id)?,
            FlowRef::Name(name) => map.serialize_entry("flow_name", name)?,
        }
        map.serialize_entry("flow_cta", &self.cta)?;
        if let Some(mode) = &self.mode {
            map.serialize_entry("mode", mode)?;
        }
        if let Some(token) = &self.token {
            map.serialize_entry("flow_token", token)?;
        }
        match &self.action {
            Some(FlowAction::Navigate { screen, data }) => {
                map.serialize_entry("flow_action", "navigate")?;
                map.serialize_entry(
                    "flow_action_payload",
                    &Payload {
                        screen,
                        data: data.as_ref(),
                    },
                )?;
            }
            Some(FlowAction::DataExchange) => {
                map.serialize_entry("flow_action", "data_exchange")?;
            }
            None => {}
        }
        map.end()
    }
}
