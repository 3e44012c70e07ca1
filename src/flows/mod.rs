//! The data endpoint of a WhatsApp Flow: decrypt each request, answer it, encrypt the reply
//! (feature `flows`).
//!
//! A Flow with an endpoint posts every screen change to your HTTPS endpoint, encrypted for your
//! business key: RSA-OAEP (SHA-256, MGF1-SHA-256) wraps a fresh AES-128 key, AES-128-GCM encrypts the
//! request, and the reply goes back with the same key and the IV with every bit inverted. Meta's page
//! "Implement endpoints for Flows" specifies the protocol; this module does all the cryptography
//! (RSA through aws-lc-rs, which is constant-time) and types the request and the replies.
//!
//! # 1. Make a key pair
//!
//! A 2048-bit RSA key, protected by a passphrase:
//!
//! ```text
//! openssl genrsa -out private_plain.pem 2048
//! openssl pkcs8 -topk8 -v2 aes-256-cbc -in private_plain.pem -out private.pem   # asks for a passphrase
//! openssl rsa -in private_plain.pem -pubout -out public.pem
//! rm private_plain.pem
//! ```
//!
//! [`FlowPrivateKey::from_pem`] reads unencrypted PKCS#8 or PKCS#1 PEM and encrypted PKCS#8.
//! A key made by `openssl genrsa -des3` with OpenSSL 1.x (`Proc-Type: 4,ENCRYPTED`) is refused
//! with the command that converts it: `openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem`.
//!
//! # 2. Upload the public key
//!
//! Once per phone number (again after re-registering it, or after a `public-key-missing` alert),
//! as "WhatsApp Business Encryption" describes, with
//! [`SetBusinessPublicKey`](crate::endpoint::business_encryption::SetBusinessPublicKey) (the
//! public half is [`FlowPrivateKey::public_key_pem`]); check it with
//! [`GetBusinessPublicKey`](crate::endpoint::business_encryption::GetBusinessPublicKey).
//!
//! # 3. Serve requests
//!
//! For each `POST`: check `X-Hub-Signature-256` over the raw body with
//! [`SignatureVerifier`](crate::webhook::SignatureVerifier) (432 when it fails), decrypt with
//! [`FlowPrivateKey::decrypt_request`], answer the [`FlowRequest`], and send
//! [`DecryptedRequest::encrypt_response`]'s text as a 200 body. On an error, answer
//! [`FlowError::http_status`] (with [`FlowError::response_body`]):
//!
//! | status | when |
//! |---|---|
//! | 200 | the encrypted reply (`Content-Type: text/plain`) |
//! | 421 | the request cannot be decrypted: the WhatsApp client fetches the public key again and retries |
//! | 427 | your code found the flow token no longer valid ([`FlowError::flow_token_no_longer_valid`]): the Flow is disabled, `error_msg` shown |
//! | 432 | the signature check failed |
//! | 400 | the body is not Meta's envelope, or the decrypted text is not a Flow request |
//! | 500 | the endpoint is misconfigured (the key), or the reply could not be serialized |
//!
//! Meta waits 10 seconds at most; aim for under one.
//!
//! ```
//! use whatsapp_cloud::flows::{FlowAction, FlowError, FlowPrivateKey, FlowReply, NextScreen, Success};
//! use whatsapp_cloud::webhook::SignatureVerifier;
//!
//! /// Answers one POST: `Ok(body)` for a 200, or the error whose status to send.
//! fn handle(
//!     key: &FlowPrivateKey,
//!     verifier: &SignatureVerifier,
//!     body: &[u8],
//!     signature: Option<&str>,
//! ) -> Result<String, FlowError> {
//!     verifier.verify(body, signature)?; // 432 when it fails
//!     let decrypted = key.decrypt_request(body)?; // 421 when it cannot be decrypted
//!     let request = decrypted.request();
//!     // A ping or an error notification has a fixed answer.
//!     let reply = match request.automatic_reply() {
//!         Some(reply) => reply,
//!         None => match &request.action {
//!             FlowAction::Init => NextScreen::new("APPOINTMENT").field("slots", vec!["10:00", "11:00"]).into(),
//!             FlowAction::DataExchange => {
//!                 let token = request.flow_token.clone().unwrap_or_default();
//!                 Success::new(token).param("booked", true).into()
//!             }
//!             _ => NextScreen::new(request.screen.clone().unwrap_or_default()).into(),
//!         },
//!     };
//!     decrypted.encrypt_response(&reply)
//! }
//!
//! # let key = FlowPrivateKey::from_pem(include_str!("../../tests/fixtures/flows/key_pkcs8.pem"), None)?;
//! let verifier = SignatureVerifier::new("app-secret")?;
//! let body = br#"{"encrypted_flow_data":"AAAA","encrypted_aes_key":"AAAA","initial_vector":"AAAA"}"#;
//! let signature = whatsapp_cloud::webhook::sign("app-secret", body);
//! let refused = handle(&key, &verifier, body, Some(&signature)).unwrap_err();
//! assert_eq!(refused.http_status(), 421); // not encrypted for this key
//! assert_eq!(handle(&key, &verifier, body, None).unwrap_err().http_status(), 432);
//! # assert_eq!(FlowReply::ping(), FlowReply::Ping);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The repository's `examples/flow_endpoint.rs` is the same handler in an axum server.

mod error;
mod key;
mod reply;
mod request;
mod token;

pub use error::{CONVERT_LEGACY_PEM_COMMAND, DecryptProblem, FlowError, KeyProblem};
pub use key::FlowPrivateKey;
pub use reply::{FlowReply, NextScreen, Success};
pub use request::{DecryptedRequest, ErrorNotification, FlowAction, FlowRequest};
