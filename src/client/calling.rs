//! The Calling API and the phone-number settings over the client: shortcuts for the
//! [`endpoint::calls`](crate::endpoint::calls) and [`endpoint::settings`](crate::endpoint::settings)
//! calls. Options these do not take (another phone number, SIP credentials) are one
//! [`Client::send`] of the endpoint value away.

use super::Client;
use crate::endpoint::Success;
use crate::endpoint::calls::{CallAction, CallPermissions, ConnectCall, GetCallPermissions};
use crate::endpoint::settings::{
    GetPhoneNumberSettings, PhoneNumberSettings, UpdatePhoneNumberSettings,
};
use crate::error::Error;
use crate::ids::{CallId, Recipient};

impl Client {
    /// Reads the settings of the client's phone number (calling, local storage, identity change
    /// checks, payload encryption). Send [`GetPhoneNumberSettings`] with
    /// `include_sip_credentials(true)` for the SIP passwords.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn phone_number_settings(&self) -> Result<PhoneNumberSettings, Error> {
        self.send(&GetPhoneNumberSettings::new()).await
    }

    /// Changes one section of the phone number's settings.
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::settings::{
    ///     CallingSettings, FeatureStatus, UpdatePhoneNumberSettings,
    /// };
    /// client
    ///     .update_phone_number_settings(&UpdatePhoneNumberSettings::calling(
    ///         CallingSettings::new().status(FeatureStatus::Enabled),
    ///     ))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending (call hours, purposes, regions), API and transport
    /// errors.
    pub async fn update_phone_number_settings(
        &self,
        update: &UpdatePhoneNumberSettings,
    ) -> Result<Success, Error> {
        self.send(update).await
    }

    /// Places a business-initiated call and returns its id; the user's SDP answer arrives in the
    /// `calls` webhook. Not retried when the outcome is unknown (the user would ring twice).
    ///
    /// ```no_run
    /// # async fn run(client: whatsapp_cloud::Client, offer: String) -> Result<(), whatsapp_cloud::Error> {
    /// use whatsapp_cloud::endpoint::calls::ConnectCall;
    /// use whatsapp_cloud::Recipient;
    /// if client.call_permissions(Recipient::phone("14085551234")).await?.can_start_call() {
    ///     let call_id = client
    ///         .connect_call(&ConnectCall::new(Recipient::phone("14085551234"), offer))
    ///         .await?;
    ///     println!("ringing: {call_id}");
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Validation`] before sending, the Calling API's errors
    /// ([`ErrorClass::Calling`](crate::error::ErrorClass::Calling), such as 138006 without
    /// permission), API and transport errors.
    pub async fn connect_call(&self, connect: &ConnectCall) -> Result<CallId, Error> {
        self.send(connect).await
    }

    /// Pre-accepts a user-initiated call with the business's SDP answer.
    ///
    /// # Errors
    /// As [`Client::call_action`].
    pub async fn pre_accept_call(
        &self,
        call_id: impl Into<CallId>,
        sdp_answer: impl Into<String>,
    ) -> Result<Success, Error> {
        self.call_action(&CallAction::pre_accept(call_id, sdp_answer))
            .await
    }

    /// Accepts a user-initiated call with the business's SDP answer (the one pre-accepted, if
    /// any). Start the media after this returns.
    ///
    /// # Errors
    /// As [`Client::call_action`].
    pub async fn accept_call(
        &self,
        call_id: impl Into<CallId>,
        sdp_answer: impl Into<String>,
    ) -> Result<Success, Error> {
        self.call_action(&CallAction::accept(call_id, sdp_answer))
            .await
    }

    /// Rejects a user-initiated call.
    ///
    /// # Errors
    /// As [`Client::call_action`].
    pub async fn reject_call(&self, call_id: impl Into<CallId>) -> Result<Success, Error> {
        self.call_action(&CallAction::reject(call_id)).await
    }

    /// Ends a call (needed even after the media ended).
    ///
    /// # Errors
    /// As [`Client::call_action`].
    pub async fn terminate_call(&self, call_id: impl Into<CallId>) -> Result<Success, Error> {
        self.call_action(&CallAction::terminate(call_id)).await
    }

    /// Sends any call action (with options such as recording on an accept).
    ///
    /// # Errors
    /// [`Error::Validation`] before sending, API and transport errors.
    pub async fn call_action(&self, action: &CallAction) -> Result<Success, Error> {
        self.send(action).await
    }

    /// Reads whether the business may call `user` (by phone number or business-scoped user id)
    /// and what it may still do today.
    ///
    /// # Errors
    /// API and transport errors.
    pub async fn call_permissions(
        &self,
        user: impl Into<Recipient>,
    ) -> Result<CallPermissions, Error> {
        self.send(&GetCallPermissions::new(user)).await
    }
}
