//! Operations over the client: shortcuts for the
//! [`endpoint::operations`](crate::endpoint::operations) calls (blocking users, QR codes, webhook
//! subscriptions and overrides, two-step PIN, display name, conversational automation, business
//! usernames). Anything these do not cover is one [`Client::send`] of the endpoint value away.

use super::Client;
use crate::endpoint::Success;
use crate::endpoint::operations::{
    BlockOutcome, BlockUsers, BlockedUser, CallbackOverride, ClaimUsername,
    ConversationalAutomation, CreateQrCode, DeleteQrCode, DeleteUsername, DisplayNameStatus,
    GetConversationalAutomation, GetDisplayNameStatus, GetQrCode, GetUsername,
    GetUsernameSuggestions, GetWebhookConfiguration, ListBlockedUsers, ListQrCodes,
    ListSubscribedApps, QrCode, RequestDisplayName, SetConversationalAutomation,
    SetPhoneWebhookOverride, SetTwoStepPin, SubscribeApp, SubscribedApp, UnblockOutcome,
    UnblockUsers, UnsubscribeApp, UpdateQrCode, UsernameState, WebhookConfiguration,
};
use crate::error::Error;
use crate::ids::Recipient;
use futures_util::Stream;

impl Client {
    /// Blocks users (each by phone number or business-scoped user id, at most 1,000).
    ///
    /// A partial failure is not an error: the outcome lists who was blocked and who was not.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::Recipient;
    /// let outcome = client.block_users([Recipient::phone("+16315551234")]).await?;
    /// for failed in &outcome.failed {
    ///     println!("{} not blocked: {:?}", failed.input, failed.errors);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (no user, more than 1,000, both a phone number and a
    /// user id in one entry), API errors without the lists (such as 139101, a full blocklist),
    /// transport errors.
    pub async fn block_users(
        &self,
        users: impl IntoIterator<Item = Recipient>,
    ) -> Result<BlockOutcome, Error> {
        self.send(&BlockUsers::new(users)).await
    }

    /// Unblocks users; a partial failure is reported in the outcome as for [`Client::block_users`].
    ///
    /// # Errors
    /// As [`Client::block_users`].
    pub async fn unblock_users(
        &self,
        users: impl IntoIterator<Item = Recipient>,
    ) -> Result<UnblockOutcome, Error> {
        self.send(&UnblockUsers::new(users)).await
    }

    /// Every blocked user, across pages, fetched a page at a time on demand. An error 139102
    /// means the list changed while paging: start again.
    pub fn blocked_users(&self) -> impl Stream<Item = Result<BlockedUser, Error>> + '_ {
        self.items(ListBlockedUsers::new())
    }

    /// Creates a QR code and short link (see [`CreateQrCode`] for the image).
    ///
    /// # Errors
    /// [`Error::Validation`] for a blank or over-140-character message, API and transport errors.
    pub async fn create_qr_code(&self, create: &CreateQrCode) -> Result<QrCode, Error> {
        self.send(create).await
    }

    /// Changes a QR code's prefilled message.
    ///
    /// # Errors
    /// As [`Client::create_qr_code`].
    pub async fn update_qr_code(&self, update: &UpdateQrCode) -> Result<QrCode, Error> {
        self.send(update).await
    }

    /// Reads one QR code.
    ///
    /// # Errors
    /// API and transport errors; [`Error::Decode`] when the answer holds no code.
    pub async fn qr_code(&self, code: &str) -> Result<QrCode, Error> {
        self.send(&GetQrCode::new(code)).await
    }

    /// Every QR code of the number, across pages.
    pub fn qr_codes(&self) -> impl Stream<Item = Result<QrCode, Error>> + '_ {
        self.items(ListQrCodes::new())
    }

    /// Deletes a QR code.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn delete_qr_code(&self, code: &str) -> Result<Success, Error> {
        self.send(&DeleteQrCode::new(code)).await
    }

    /// Subscribes the app to the account's webhooks, optionally sending them to an override URL.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::operations::CallbackOverride;
    /// client.subscribe_app(None).await?;
    /// let over = CallbackOverride::new("https://hooks.example.com/wa", "verify-token");
    /// client.subscribe_app(Some(over)).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] for an override URL that is not `https://` or longer than 200
    /// characters or a blank token, [`Error::Config`] without an account id, API and transport
    /// errors.
    pub async fn subscribe_app(
        &self,
        callback: Option<CallbackOverride>,
    ) -> Result<Success, Error> {
        let subscribe = match callback {
            Some(callback) => SubscribeApp::new().with_override(callback),
            None => SubscribeApp::new(),
        };
        self.send(&subscribe).await
    }

    /// The apps subscribed to the account, with the account's override URL.
    ///
    /// # Errors
    /// [`Error::Config`] without an account id, API and transport errors.
    pub async fn subscribed_apps(&self) -> Result<Vec<SubscribedApp>, Error> {
        self.send(&ListSubscribedApps::new()).await
    }

    /// Unsubscribes the app from the account's webhooks.
    ///
    /// # Errors
    /// [`Error::Config`] without an account id, API and transport errors.
    pub async fn unsubscribe_app(&self) -> Result<Success, Error> {
        self.send(&UnsubscribeApp::new()).await
    }

    /// Sets (`Some`) or clears (`None`) the phone number's callback override.
    ///
    /// # Errors
    /// As [`Client::subscribe_app`].
    pub async fn set_phone_webhook_override(
        &self,
        callback: Option<CallbackOverride>,
    ) -> Result<Success, Error> {
        let set = match callback {
            Some(callback) => SetPhoneWebhookOverride::new(callback),
            None => SetPhoneWebhookOverride::clear(),
        };
        self.send(&set).await
    }

    /// Where the number's webhooks go: its override, the account's, the app's.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn webhook_configuration(&self) -> Result<WebhookConfiguration, Error> {
        self.send(&GetWebhookConfiguration::new()).await
    }

    /// Sets the two-step verification PIN (exactly six digits; never logged).
    ///
    /// # Errors
    /// [`Error::Validation`] (naming `pin`, not its value) unless it is six digits, API and
    /// transport errors.
    pub async fn set_two_step_pin(&self, pin: &str) -> Result<Success, Error> {
        self.send(&SetTwoStepPin::new(pin)).await
    }

    /// Requests a new display name (Meta reviews it).
    ///
    /// # Errors
    /// [`Error::Validation`] for a blank name, API and transport errors.
    pub async fn request_display_name(&self, name: &str) -> Result<Success, Error> {
        self.send(&RequestDisplayName::new(name)).await
    }

    /// The display name and the review of a requested new one.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn display_name_status(&self) -> Result<DisplayNameStatus, Error> {
        self.send(&GetDisplayNameStatus::new()).await
    }

    /// Sets ice breakers, commands and the welcome message.
    ///
    /// # Errors
    /// [`Error::Validation`] for a broken limit or an emoji, API and transport errors.
    pub async fn set_conversational_automation(
        &self,
        set: &SetConversationalAutomation,
    ) -> Result<Success, Error> {
        self.send(set).await
    }

    /// Reads ice breakers, commands and the welcome message setting.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn conversational_automation(&self) -> Result<ConversationalAutomation, Error> {
        self.send(&GetConversationalAutomation::new()).await
    }

    /// Claims or changes the number's business username.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use whatsapp_cloud::endpoint::operations::{ClaimUsername, Username};
    /// use whatsapp_cloud::error::ErrorClass;
    /// match client.claim_username(&ClaimUsername::new(Username::new("luckyshrub")?)).await {
    ///     Ok(state) => println!("{:?}", state.status),
    ///     Err(e) if e.class() == Some(ErrorClass::UsernameTaken) => println!("taken"),
    ///     Err(e) => return Err(e.into()),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// API errors (147001-147005, 133010) and transport errors.
    pub async fn claim_username(&self, claim: &ClaimUsername) -> Result<UsernameState, Error> {
        self.send(claim).await
    }

    /// The number's username and its state.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn username(&self) -> Result<UsernameState, Error> {
        self.send(&GetUsername::new()).await
    }

    /// The usernames Meta reserved for the number.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn username_suggestions(&self) -> Result<Vec<String>, Error> {
        self.send(&GetUsernameSuggestions::new()).await
    }

    /// Deletes the number's username.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn delete_username(&self) -> Result<Success, Error> {
        self.send(&DeleteUsername::new()).await
    }
}
