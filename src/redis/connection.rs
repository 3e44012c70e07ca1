//! The connection every store shares: one `ConnectionManager` (which reconnects by itself), the
//! key layout, the call timeout, and errors that never show the URL's password.

use crate::policy::StoreError;
use redis::aio::ConnectionManager;
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// What the stores share (behind an `Arc`).
pub(super) struct Shared {
    pub(super) conn: ConnectionManager,
    /// The URL with its password replaced by `***`.
    pub(super) shown_url: String,
    /// The password, scrubbed from every error text.
    password: Option<String>,
    pub(super) timeout: Duration,
    pub(super) keys: Keys,
    pub(super) dedup_ttl: u64,
    pub(super) opt_out_ttl: u64,
    pub(super) window_margin: u64,
    pub(super) buckets: u32,
}

/// The key layout of one namespace.
#[derive(Debug, Clone)]
pub(super) struct Keys {
    pub(super) prefix: String,
    pub(super) namespace: String,
}

impl Keys {
    /// The prefix of the user buckets: `<prefix>:{<namespace>}:u:` (one hash slot per namespace).
    pub(super) fn user_buckets(&self) -> String {
        format!("{}:{{{}}}:u:", self.prefix, self.namespace)
    }

    /// The key holding the namespace's bucket count.
    pub(super) fn bucket_count(&self) -> String {
        format!("{}:{{{}}}:buckets", self.prefix, self.namespace)
    }

    /// A seen-delivery key: `<prefix>:<namespace>:d:{<key>}` (spread over the cluster by key).
    pub(super) fn dedup(&self, key: &str) -> String {
        format!("{}:{}:d:{{{key}}}", self.prefix, self.namespace)
    }

    /// The pacing keys of a business number: its throughput and one recipient's pair state,
    /// `<prefix>:{<namespace>:<number>}:t` and `…:r:<recipient>` (one slot per number).
    pub(super) fn pacing(&self, number: &str, recipient: &str) -> [String; 2] {
        let base = format!("{}:{{{}:{number}}}", self.prefix, self.namespace);
        [format!("{base}:t"), format!("{base}:r:{recipient}")]
    }
}

impl Shared {
    pub(super) fn new(
        conn: ConnectionManager,
        url: &str,
        timeout: Duration,
        keys: Keys,
        ttl: (u64, u64, u64),
        buckets: u32,
    ) -> Self {
        let (shown_url, password) = redact(url);
        Self {
            conn,
            shown_url,
            password,
            timeout,
            keys,
            dedup_ttl: ttl.0,
            opt_out_ttl: ttl.1,
            window_margin: ttl.2,
            buckets,
        }
    }

    /// Runs one Redis call, bounded by the timeout; the error says `what` failed, where, and why.
    pub(super) async fn call<T>(
        &self,
        what: &str,
        call: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(StoreError::with_source(
                format!("{what} on Redis at {}", self.shown_url),
                Scrubbed(scrub(&e.to_string(), self.password.as_deref())),
            )),
            Err(_) => Err(StoreError::new(format!(
                "{what} on Redis at {}: no answer within {} ms",
                self.shown_url,
                self.timeout.as_millis()
            ))),
        }
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisState")
            .field("url", &self.shown_url)
            .field("prefix", &self.keys.prefix)
            .field("namespace", &self.keys.namespace)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A Redis error's text with the password taken out.
#[derive(Debug)]
pub(super) struct Scrubbed(pub(super) String);

impl fmt::Display for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Scrubbed {}

pub(super) fn scrub(text: &str, password: Option<&str>) -> String {
    match password.filter(|p| !p.is_empty()) {
        Some(p) => text.replace(p, "***"),
        None => text.to_owned(),
    }
}

/// The URL as shown (password replaced by `***`) and the password, if any. A URL that does not
/// parse is shown as `<invalid URL>`, since it may hold a password in a place we cannot find.
pub(super) fn redact(url: &str) -> (String, Option<String>) {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let password = parsed.password().map(str::to_owned);
            if password.is_some() {
                // Setting a password fails only on URLs that cannot have one.
                let _ = parsed.set_password(Some("***"));
            }
            (parsed.to_string(), password)
        }
        Err(_) => ("<invalid URL>".to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_never_shown() {
        let (shown, password) = redact("redis://app:s3cret@cache.internal:6380/2");
        assert_eq!(shown, "redis://app:***@cache.internal:6380/2");
        assert_eq!(password.as_deref(), Some("s3cret"));
        assert_eq!(
            redact("redis://:pw@127.0.0.1/"),
            ("redis://:***@127.0.0.1/".to_owned(), Some("pw".to_owned()))
        );
        assert_eq!(redact("redis://127.0.0.1:6379/").1, None);
        assert_eq!(redact("not a url :pw@").0, "<invalid URL>");
        assert_eq!(
            scrub("auth failed for s3cret at host", Some("s3cret")),
            "auth failed for *** at host"
        );
    }

    #[test]
    fn keys_share_a_hash_tag_where_scripts_need_it() {
        let keys = Keys {
            prefix: "wa".into(),
            namespace: "p1".into(),
        };
        assert_eq!(keys.user_buckets(), "wa:{p1}:u:");
        assert_eq!(keys.bucket_count(), "wa:{p1}:buckets");
        assert_eq!(keys.dedup("wamid.A"), "wa:p1:d:{wamid.A}");
        assert_eq!(
            keys.pacing("106", "16505551234"),
            [
                "wa:{p1:106}:t".to_owned(),
                "wa:{p1:106}:r:16505551234".to_owned()
            ]
        );
    }
}
