//! A typed Rust SDK for Meta's WhatsApp Cloud API.
//!
//! - [`message`]: every outgoing message type, validated against Meta's limits before sending.
//! - [`endpoint`]: every API call as a value that builds an `http::Request` and parses an
//!   `http::Response` (sans-IO: bring any HTTP client).
//! - [`error`]: one [`Error`] type, Meta's error object and its classification.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
pub mod dedup;
pub mod endpoint;
pub mod error;
pub mod guard;
pub mod ids;
pub mod message;
pub mod opt_out;
pub mod pacing;
pub mod secret;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
pub mod webhook;
pub mod window;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
pub use endpoint::{ApiContext, DEFAULT_API_VERSION, Endpoint};
pub use error::Error;
pub use ids::{GroupId, MediaId, MessageId, PhoneNumberId, Recipient, UserId, WabaId};
pub use secret::{AccessToken, AppSecret, VerifyToken};

/// The README's examples, compiled and run as doc tests.
#[cfg(all(doctest, feature = "client"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
