//! [`ClientBuilder`]: configuration of the [`Client`](super::Client).

use super::Client;
use crate::endpoint::{ApiContext, DEFAULT_API_VERSION, DEFAULT_BASE_URL, check_api_version};
use crate::error::Error;
use crate::ids::{PhoneNumberId, WabaId};
use crate::secret::AccessToken;
use std::sync::Arc;
use std::time::Duration;

/// Builds a [`Client`]. The access token and phone number id are required.
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    access_token: Option<AccessToken>,
    phone_number_id: Option<PhoneNumberId>,
    waba_id: Option<WabaId>,
    api_version: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The access token (required).
    pub fn access_token(mut self, token: impl Into<AccessToken>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// The business phone number id (required).
    pub fn phone_number_id(mut self, id: impl Into<PhoneNumberId>) -> Self {
        self.phone_number_id = Some(id.into());
        self
    }

    /// The WhatsApp Business Account id (for template management).
    pub fn waba_id(mut self, id: impl Into<WabaId>) -> Self {
        self.waba_id = Some(id.into());
        self
    }

    /// The Graph API version; defaults to [`DEFAULT_API_VERSION`].
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The base URL; defaults to [`DEFAULT_BASE_URL`]. Point it at a fake server in tests.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A timeout for each request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses your own reqwest client (its pool, proxy and TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] when the token or phone number id is missing or blank, the base URL or API
    /// version is malformed, or the HTTP client cannot be created.
    pub fn build(self) -> Result<Client, Error> {
        let token = self.access_token.filter(|t| !t.is_blank()).ok_or_else(|| {
            Error::config("an access token is required (ClientBuilder::access_token)")
        })?;
        let phone = self
            .phone_number_id
            .filter(|p| !p.as_str().trim().is_empty())
            .ok_or_else(|| {
                Error::config("a phone number id is required (ClientBuilder::phone_number_id)")
            })?;
        let mut ctx = ApiContext::new(token, phone);
        ctx = ctx.with_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        check_api_version(&version)?;
        ctx = ctx.with_api_version(version)?;
        if let Some(waba) = self.waba_id {
            ctx = ctx.with_waba_id(waba);
        }
        if let Some(ua) = self.user_agent {
            ctx = ctx.with_user_agent(ua);
        }
        let timeout = self.timeout.unwrap_or(Duration::from_secs(30));
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(timeout)
                .build()
                .map_err(|e| Error::config(format!("the HTTP client could not be created: {e}")))?,
        };
        Ok(Client {
            http,
            ctx: Arc::new(ctx),
            timeout: Some(timeout),
        })
    }
}
