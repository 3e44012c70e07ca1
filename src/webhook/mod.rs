//! Inbound webhooks: typed events for every delivery, signature verification and the handshake.
