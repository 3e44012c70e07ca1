//! Payments: the `order_details` and `order_status` messages (exact wire JSON, amounts that must add
//! up, limits), payment status and `payment_configuration_update` webhooks, and the payment lookup
//! and payment configuration endpoints against wiremock and the fake.
#![cfg(feature = "client")]

#[path = "payments/api.rs"]
mod api;
mod common;
#[path = "payments/messages.rs"]
mod messages;
#[path = "payments/webhooks.rs"]
mod webhooks;
