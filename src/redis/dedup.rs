//! [`RedisDeduplicator`]: seen webhook items as `SET NX EX` keys.

use super::connection::Shared;
use crate::policy::{BoxFuture, DedupKey, Deduplicator, Delivery, StoreError};
use std::sync::Arc;

/// Seen webhook items, shared by every replica: the first replica to check an item gets
/// [`Delivery::First`], every other check within the dedup TTL (7 days by default) gets
/// [`Delivery::Duplicate`].
///
/// A check that fails (Redis down, timeout) **fails open** in [`Deduplicator::check_or_first`]
/// and [`Deduplicator::check_event`]: the item is processed and a `tracing::warn` says so.
#[derive(Clone, Debug)]
pub struct RedisDeduplicator {
    shared: Arc<Shared>,
}

impl RedisDeduplicator {
    pub(super) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }
}

impl Deduplicator for RedisDeduplicator {
    fn check<'a>(
        &'a self,
        key: &'a DedupKey,
        _now: u64,
    ) -> BoxFuture<'a, Result<Delivery, StoreError>> {
        Box::pin(async move {
            let mut conn = self.shared.conn.clone();
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.shared.keys.dedup(&key.to_string()))
                .arg(1)
                .arg("NX")
                .arg("EX")
                .arg(self.shared.dedup_ttl);
            let set: Option<String> = self
                .shared
                .call("checking a webhook item", cmd.query_async(&mut conn))
                .await?;
            Ok(if set.is_some() {
                Delivery::First
            } else {
                Delivery::Duplicate
            })
        })
    }

    fn forget<'a>(&'a self, key: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.shared.conn.clone();
            let mut cmd = redis::cmd("DEL");
            cmd.arg(self.shared.keys.dedup(&key.to_string()));
            let _: i64 = self
                .shared
                .call("forgetting a webhook item", cmd.query_async(&mut conn))
                .await?;
            Ok(())
        })
    }

    fn check_or_first<'a>(&'a self, key: &'a DedupKey, now: u64) -> BoxFuture<'a, Delivery> {
        Box::pin(async move {
            self.check(key, now).await.unwrap_or_else(|error| {
                tracing::warn!(
                    key = %key,
                    error = %error.chain(),
                    "webhook dedup unavailable: processing the item (it may be a duplicate)"
                );
                Delivery::First
            })
        })
    }
}
