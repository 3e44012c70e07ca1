//! Payments over the client: shortcuts for the [`endpoint::payments`](crate::endpoint::payments)
//! calls (payment lookup, payment configurations). The payment messages themselves
//! ([`Interactive::order_details`](crate::message::Interactive::order_details) and
//! [`Interactive::order_status`](crate::message::Interactive::order_status)) are sent like any
//! other message.

use super::Client;
use crate::endpoint::Success;
use crate::endpoint::payments::{
    CreatePaymentConfiguration, DeletePaymentConfiguration, GetPaymentConfiguration,
    ListPaymentConfigurations, LookupPayment, PaymentConfiguration, PaymentConfigurationCreated,
    PaymentLookup, PaymentOAuthLink, RegeneratePaymentOAuthLink,
};
use crate::error::Error;

impl Client {
    /// Looks up the payment of order `reference_id`, billed through the payment configuration
    /// `configuration_name`, from the client's phone number. Confirm a payment this way before
    /// fulfilling the order: Meta asks businesses not to rely on the payment webhooks alone.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::payments::PaymentStatus;
    /// let found = client.lookup_payment("razorpay-prod", "order-42").await?;
    /// if found.payments.iter().any(|p| p.status == PaymentStatus::Captured) {
    ///     // ship it, then send an order_status message
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty name or reference, API and transport errors.
    pub async fn lookup_payment(
        &self,
        configuration_name: &str,
        reference_id: &str,
    ) -> Result<PaymentLookup, Error> {
        self.send(&LookupPayment::new(configuration_name, reference_id))
            .await
    }

    /// The payment configurations of the client's WhatsApp Business Account.
    ///
    /// # Errors
    /// [`Error::Config`] without a WhatsApp Business Account id, API and transport errors.
    pub async fn payment_configurations(&self) -> Result<Vec<PaymentConfiguration>, Error> {
        self.send(&ListPaymentConfigurations::new()).await
    }

    /// One payment configuration, by name.
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty name, API and transport errors.
    pub async fn payment_configuration(
        &self,
        configuration_name: &str,
    ) -> Result<PaymentConfiguration, Error> {
        self.send(&GetPaymentConfiguration::new(configuration_name))
            .await
    }

    /// Creates a payment configuration; for a payment gateway the answer carries the OAuth link
    /// where the gateway account is connected.
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (see [`CreatePaymentConfiguration::validate`]), API
    /// and transport errors.
    pub async fn create_payment_configuration(
        &self,
        create: &CreatePaymentConfiguration,
    ) -> Result<PaymentConfigurationCreated, Error> {
        self.send(create).await
    }

    /// A new OAuth link to connect a payment configuration to its gateway again.
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty name or a malformed redirect URL, API and transport errors.
    pub async fn regenerate_payment_oauth_link(
        &self,
        link: &RegeneratePaymentOAuthLink,
    ) -> Result<PaymentOAuthLink, Error> {
        self.send(link).await
    }

    /// Removes a payment configuration.
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty name, API and transport errors.
    pub async fn delete_payment_configuration(
        &self,
        configuration_name: &str,
    ) -> Result<Success, Error> {
        self.send(&DeletePaymentConfiguration::new(configuration_name))
            .await
    }
}
