//! Pacing through a [`SharedPacer`] (several processes, one budget), with a local fallback while
//! the shared pacer fails.

use super::{Shared, lock};
use crate::error::{Error, ErrorClass, RateLimit};
use crate::policy::{Pacer, PacingConfig, SharedAdmission, SharedPacer};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

/// The share of the rate a client keeps while the shared pacer fails, unless configured.
pub(crate) const DEFAULT_FALLBACK_SHARE: u32 = 4;

/// A shared pacer as a client holds it, with its fallback.
pub(crate) struct SharedPacing {
    pacer: Arc<dyn SharedPacer>,
    /// The local pacing while the shared pacer fails, per business number.
    fallback_config: PacingConfig,
    fallback: Mutex<HashMap<String, Pacer>>,
    /// True from the first failure until the shared pacer answers again.
    outage: AtomicBool,
    /// How many outages began (each logged once).
    outages: AtomicU32,
}

impl SharedPacing {
    pub(crate) fn new(pacer: Arc<dyn SharedPacer>, fallback_config: PacingConfig) -> Self {
        Self {
            pacer,
            fallback_config,
            fallback: Mutex::new(HashMap::new()),
            outage: AtomicBool::new(false),
            outages: AtomicU32::new(0),
        }
    }

    /// The fallback rate when none is configured: a quarter of `config`'s rate, at least 1.
    pub(crate) fn default_fallback(config: &PacingConfig) -> PacingConfig {
        let rate = (config.get_messages_per_second() / DEFAULT_FALLBACK_SHARE).max(1);
        config
            .clone()
            .messages_per_second(rate)
            .unwrap_or_else(|_| config.clone())
    }

    fn answered(&self) {
        if self.outage.swap(false, Ordering::Relaxed) {
            tracing::info!("the shared pacer answers again: back to the shared budget");
        }
    }

    fn failed(&self, error: &crate::policy::StoreError) {
        if !self.outage.swap(true, Ordering::Relaxed) {
            self.outages.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                error = %error.chain(),
                messages_per_second = self.fallback_config.get_messages_per_second(),
                "the shared pacer failed: pacing locally at a reduced rate until it answers"
            );
        }
    }

    /// Waits until a send from `number` to `recipient` may go out. The recipient's pair wait is
    /// honoured until the retry policy's `max_delay` has passed; the number's budget always is.
    pub(crate) async fn pace(&self, shared: &Shared, number: &str, recipient: &str) {
        let timer = &shared.timer;
        let limit = timer.now().saturating_add(shared.policy.get_max_delay());
        loop {
            let now = timer.now();
            match self.pacer.admit(number, recipient, now < limit).await {
                Ok(SharedAdmission::RetryIn(wait)) => {
                    self.answered();
                    timer.sleep_until(now.saturating_add(wait).min(limit)).await;
                }
                Ok(SharedAdmission::SendIn(wait)) => {
                    self.answered();
                    if !wait.is_zero() {
                        timer.sleep_until(now.saturating_add(wait)).await;
                    }
                    return;
                }
                Err(error) => {
                    self.failed(&error);
                    let at = {
                        let mut fallback = lock(&self.fallback);
                        fallback
                            .entry(number.to_owned())
                            .or_insert_with(|| Pacer::new(self.fallback_config.clone()))
                            .admit_ignoring_pair(recipient, timer.now())
                    };
                    if at > timer.now() {
                        timer.sleep_until(at).await;
                    }
                    return;
                }
            }
        }
    }

    /// Tells the shared pacer how an attempt ended: a success ends the recipient's back-off, a
    /// 131056 starts or lengthens it. A failure to tell it is logged (once per outage).
    pub(crate) async fn report<T>(
        &self,
        number: &str,
        recipient: &str,
        outcome: &Result<T, Error>,
    ) {
        let told = match outcome {
            Ok(_) => self.pacer.accepted(number, recipient).await,
            Err(e) if e.class() == Some(ErrorClass::RateLimited(RateLimit::Pair)) => self
                .pacer
                .pair_rate_limited(number, recipient)
                .await
                .map(|_| ()),
            Err(_) => return,
        };
        match told {
            Ok(()) => self.answered(),
            Err(error) => self.failed(&error),
        }
    }
}

impl std::fmt::Debug for SharedPacing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedPacing")
            .field("fallback", &self.fallback_config)
            .field("outage", &self.outage.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Tests of the fallback and the reporting, with a pacer that fails on demand.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ManualTimer;
    use crate::policy::{BoxFuture, StoreError};
    use crate::retry::RetryPolicy;
    use std::time::Duration;

    #[derive(Default)]
    struct Flaky {
        down: AtomicBool,
        admitted: AtomicU32,
        accepted: AtomicU32,
        limited: AtomicU32,
    }

    impl SharedPacer for Flaky {
        fn admit<'a>(
            &'a self,
            _: &'a str,
            _: &'a str,
            _: bool,
        ) -> BoxFuture<'a, Result<SharedAdmission, StoreError>> {
            Box::pin(async move {
                if self.down.load(Ordering::Relaxed) {
                    return Err(StoreError::new("down"));
                }
                self.admitted.fetch_add(1, Ordering::Relaxed);
                Ok(SharedAdmission::SendIn(Duration::ZERO))
            })
        }
        fn pair_rate_limited<'a>(
            &'a self,
            _: &'a str,
            _: &'a str,
        ) -> BoxFuture<'a, Result<Duration, StoreError>> {
            self.limited.fetch_add(1, Ordering::Relaxed);
            Box::pin(async { Ok(Duration::from_secs(1)) })
        }
        fn accepted<'a>(&'a self, _: &'a str, _: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
            self.accepted.fetch_add(1, Ordering::Relaxed);
            Box::pin(async { Ok(()) })
        }
    }

    fn shared(timer: &ManualTimer) -> Shared {
        Shared::new(
            RetryPolicy::default(),
            None,
            Arc::new(timer.clone()),
            None,
            None,
            1,
        )
    }

    #[tokio::test]
    async fn an_outage_paces_locally_at_the_fallback_rate_then_goes_back() {
        let timer = ManualTimer::new();
        let shared = shared(&timer);
        let flaky = Arc::new(Flaky::default());
        let config = PacingConfig::default().messages_per_second(80).unwrap();
        let pacing = SharedPacing::new(flaky.clone(), SharedPacing::default_fallback(&config));
        assert_eq!(pacing.fallback_config.get_messages_per_second(), 20);
        pacing.pace(&shared, "1", "a").await;
        assert_eq!(flaky.admitted.load(Ordering::Relaxed), 1);
        flaky.down.store(true, Ordering::Relaxed);
        // The first fallback slot is free; the second waits 1/20 s on the local pacer.
        pacing.pace(&shared, "1", "b").await;
        assert!(pacing.outage.load(Ordering::Relaxed));
        pacing.pace(&shared, "1", "c").await;
        assert_eq!(timer.sleeps(), vec![Duration::from_millis(50)]);
        flaky.down.store(false, Ordering::Relaxed);
        pacing.pace(&shared, "1", "d").await;
        assert!(!pacing.outage.load(Ordering::Relaxed));
        assert_eq!(flaky.admitted.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn one_warning_per_outage() {
        let timer = ManualTimer::new();
        let shared = shared(&timer);
        let flaky = Arc::new(Flaky::default());
        let pacing = SharedPacing::new(flaky.clone(), PacingConfig::default());
        for outage in [true, true, true, false, true, true] {
            flaky.down.store(outage, Ordering::Relaxed);
            crate::policy::block_on(pacing.pace(&shared, "1", "a"));
        }
        // Five failed asks in two outages: two warnings.
        assert_eq!(pacing.outages.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn successes_and_pair_limits_are_reported() {
        let flaky = Arc::new(Flaky::default());
        let pacing = SharedPacing::new(flaky.clone(), PacingConfig::default());
        pacing.report::<()>("1", "a", &Ok(())).await;
        let body = br#"{"error":{"message":"pair","type":"OAuthException","code":131056}}"#;
        let pair = Error::from(crate::error::ApiError::from_response(400, None, body));
        pacing.report::<()>("1", "a", &Err(pair)).await;
        pacing
            .report::<()>("1", "a", &Err(Error::config("not a rate limit")))
            .await;
        assert_eq!(flaky.accepted.load(Ordering::Relaxed), 1);
        assert_eq!(flaky.limited.load(Ordering::Relaxed), 1);
    }
}
