//! Conversational automation: ice breakers, commands and the welcome message (Meta's
//! "Conversational components" page).

use super::{no_emoji, phone_fields_request, phone_url};
use crate::endpoint::{ApiContext, Endpoint, Idempotency, Success, parse_json};
use crate::error::{Error, ValidationError};
use crate::limits;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// The most ice breakers (prompts).
pub const PROMPTS_MAX: usize = 4;
/// The longest ice breaker, in characters.
pub const PROMPT_MAX_CHARS: usize = 80;
/// The most commands.
pub const COMMANDS_MAX: usize = 30;
/// The longest command name, in characters.
pub const COMMAND_NAME_MAX_CHARS: usize = 32;
/// The longest command description, in characters.
pub const COMMAND_DESCRIPTION_MAX_CHARS: usize = 256;

/// A command users can type after `/`, with its hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AutomationCommand {
    /// The command, without the `/` (at most 32 characters, no emoji).
    pub command_name: String,
    /// The hint shown with it (at most 256 characters, no emoji).
    pub command_description: String,
}

impl AutomationCommand {
    /// The command `name` with the hint `description`.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            command_name: name.into(),
            command_description: description.into(),
        }
    }
}

/// Sets the number's conversational components:
/// `POST /<PHONE_NUMBER_ID>/conversational_automation`.
///
/// At most 4 ice breakers of at most 80 characters, at most 30 commands (names of at most 32
/// characters, hints of at most 256), and no emoji anywhere: each is checked before sending. Meta
/// has said the welcome message (`request_welcome` webhooks) may not be delivered; the setting is
/// still sent as given.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::{AutomationCommand, SetConversationalAutomation};
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let set = SetConversationalAutomation::new()
///     .enable_welcome_message(true)
///     .prompts(["Book a table", "Opening hours"])
///     .commands([AutomationCommand::new("menu", "See today's menu")]);
/// assert_eq!(
///     set.to_request(&ctx)?.body().as_slice(),
///     br#"{"enable_welcome_message":true,"prompts":["Book a table","Opening hours"],"commands":[{"command_name":"menu","command_description":"See today's menu"}]}"#
/// );
/// assert!(SetConversationalAutomation::new().prompts(["Hi 👋"]).to_request(&ctx).is_err());
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[must_use]
pub struct SetConversationalAutomation {
    enable_welcome_message: Option<bool>,
    prompts: Option<Vec<String>>,
    commands: Option<Vec<AutomationCommand>>,
}

impl SetConversationalAutomation {
    /// Changes nothing until a setter is called.
    pub fn new() -> Self {
        Self::default()
    }

    /// Turns the welcome message on or off.
    pub fn enable_welcome_message(mut self, enable: bool) -> Self {
        self.enable_welcome_message = Some(enable);
        self
    }

    /// Sets the ice breakers (replacing the current ones; an empty list removes them).
    pub fn prompts<I, S>(mut self, prompts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.prompts = Some(prompts.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the commands (replacing the current ones; an empty list removes them).
    pub fn commands(mut self, commands: impl IntoIterator<Item = AutomationCommand>) -> Self {
        self.commands = Some(commands.into_iter().collect());
        self
    }

    /// Checks Meta's limits.
    ///
    /// # Errors
    /// Nothing set; too many prompts or commands; a blank or too long text; an emoji; a command
    /// named twice.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.enable_welcome_message.is_none()
            && self.prompts.is_none()
            && self.commands.is_none()
        {
            return Err(ValidationError::new(
                "conversational_automation",
                crate::error::Violation::Missing,
            ));
        }
        if let Some(prompts) = &self.prompts {
            limits::count("prompts", prompts.len(), 0, PROMPTS_MAX)?;
            for (i, prompt) in prompts.iter().enumerate() {
                let field = format!("prompts[{i}]");
                limits::required_text(&field, prompt, PROMPT_MAX_CHARS)?;
                no_emoji(&field, prompt)?;
            }
        }
        if let Some(commands) = &self.commands {
            limits::count("commands", commands.len(), 0, COMMANDS_MAX)?;
            for (i, command) in commands.iter().enumerate() {
                let name = format!("commands[{i}].command_name");
                limits::required_text(&name, &command.command_name, COMMAND_NAME_MAX_CHARS)?;
                no_emoji(&name, &command.command_name)?;
                let hint = format!("commands[{i}].command_description");
                limits::required_text(
                    &hint,
                    &command.command_description,
                    COMMAND_DESCRIPTION_MAX_CHARS,
                )?;
                no_emoji(&hint, &command.command_description)?;
            }
            limits::unique(
                |i| format!("commands[{i}].command_name"),
                commands.iter().map(|c| c.command_name.as_str()),
            )?;
        }
        Ok(())
    }
}

impl Endpoint for SetConversationalAutomation {
    type Output = Success;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        self.validate()?;
        let url = phone_url(ctx, &["conversational_automation"])?;
        ctx.json_request(http::Method::POST, &url, self)
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<Success, Error> {
        parse_json("conversational automation", response)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}

/// The number's conversational components as Meta returns them.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConversationalAutomation {
    /// Whether the welcome message is on.
    #[serde(default)]
    pub enable_welcome_message: Option<bool>,
    /// The ice breakers.
    #[serde(default)]
    pub prompts: Vec<String>,
    /// The commands.
    #[serde(default)]
    pub commands: Vec<AutomationCommand>,
}

/// Reads the conversational components: `GET /<PHONE_NUMBER_ID>?fields=conversational_automation`.
///
/// ```
/// use whatsapp_cloud::endpoint::{ApiContext, Endpoint};
/// use whatsapp_cloud::endpoint::operations::GetConversationalAutomation;
///
/// let ctx = ApiContext::new("token", "106540352242922");
/// let get = GetConversationalAutomation::new();
/// assert_eq!(get.to_request(&ctx)?.uri().query(), Some("fields=conversational_automation"));
/// let answer = http::Response::new(br#"{"conversational_automation":{"enable_welcome_message":false,"prompts":["Book a table"]},"id":"106540352242922"}"#.to_vec());
/// assert_eq!(get.parse_response(answer)?.prompts, ["Book a table"]);
/// # Ok::<(), whatsapp_cloud::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct GetConversationalAutomation {}

impl GetConversationalAutomation {
    /// The number's conversational components.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Endpoint for GetConversationalAutomation {
    type Output = ConversationalAutomation;

    fn to_request(&self, ctx: &ApiContext) -> Result<http::Request<Vec<u8>>, Error> {
        phone_fields_request(ctx, "conversational_automation")
    }

    fn parse_response<B: AsRef<[u8]>>(
        &self,
        response: http::Response<B>,
    ) -> Result<ConversationalAutomation, Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            conversational_automation: ConversationalAutomation,
        }
        parse_json::<Raw, _>("conversational automation", response)
            .map(|r| r.conversational_automation)
    }

    fn idempotency(&self) -> Idempotency {
        Idempotency::Idempotent
    }
}
