//! The Marketing Messages API over the client.

use super::Client;
use crate::endpoint::marketing::SendMarketingMessage;
use crate::endpoint::messages::SendResponse;
use crate::error::Error;

impl Client {
    /// Sends a marketing template through the Marketing Messages API
    /// (`POST /<PHONE_NUMBER_ID>/marketing_messages`), paced and retried like
    /// [`Client::send_message`], and checked by the client's send policy as a marketing template.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::marketing::SendMarketingMessage;
    /// use whatsapp_cloud::message::Template;
    /// let sent = client
    ///     .send_marketing_message(&SendMarketingMessage::new(
    ///         "+16315551234",
    ///         Template::new("spring_sale", "en_US"),
    ///     ))
    ///     .await?;
    /// println!("{:?}", sent.messages[0].message_status);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`Client::send`]; Meta's Marketing Messages errors have their own
    /// [`ErrorClass`](crate::error::ErrorClass) (134100 to 134102).
    pub async fn send_marketing_message(
        &self,
        message: &SendMarketingMessage,
    ) -> Result<SendResponse, Error> {
        self.send(message).await
    }
}
