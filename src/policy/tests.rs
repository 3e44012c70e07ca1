//! What the rules do when a store fails, with a store that always fails.

use super::*;
use crate::error::Refusal;
use crate::webhook::Payload;
use std::sync::Arc;

/// A store whose service is down: every method fails.
struct Down;

fn down<'a, T: Send + 'a>() -> BoxFuture<'a, Result<T, StoreError>> {
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
    Box::pin(async move { Err(StoreError::with_source("store unreachable", io)) })
}

impl WindowTracker for Down {
    fn record_inbound<'a>(
        &'a self,
        _: &'a UserKey,
        _: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
    fn record_entry_point<'a>(
        &'a self,
        _: &'a UserKey,
        _: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
    fn record_outbound<'a>(
        &'a self,
        _: &'a UserKey,
        _: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
    fn record_free_entry_point_until<'a>(
        &'a self,
        _: &'a UserKey,
        _: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
    fn window<'a>(&'a self, _: &'a UserKey) -> BoxFuture<'a, Result<Option<Window>, StoreError>> {
        down()
    }
}

impl OptOutStore for Down {
    fn record<'a>(
        &'a self,
        _: &'a UserKey,
        _: Intent,
        _: Source,
        _: u64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
    fn status<'a>(
        &'a self,
        _: &'a UserKey,
    ) -> BoxFuture<'a, Result<Option<OptOutRecord>, StoreError>> {
        down()
    }
}

impl Deduplicator for Down {
    fn check<'a>(&'a self, _: &'a DedupKey, _: u64) -> BoxFuture<'a, Result<Delivery, StoreError>> {
        down()
    }
    fn forget<'a>(&'a self, _: &'a DedupKey) -> BoxFuture<'a, Result<(), StoreError>> {
        down()
    }
}

const NOW: u64 = 1_700_000_000;

fn ana() -> UserKey {
    UserKey::phone("16505551234")
}

const TEXT: &[u8] = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"2"},"messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1700000000","type":"text","text":{"body":"STOP"}}]}}]}]}"#;

#[test]
fn marketing_is_refused_when_the_opt_out_cannot_be_read() {
    let guard = SendGuard::new(InMemoryWindowTracker::default(), Down);
    let refusal = block_on(guard.check(&ana(), &Outgoing::marketing_template("sale"), NOW));
    match refusal {
        Err(Refusal::OptOutUnavailable {
            recipient,
            template,
            reason,
        }) => {
            assert_eq!(
                (recipient.as_str(), template.as_str()),
                ("16505551234", "sale")
            );
            assert_eq!(reason, "store unreachable: connection refused");
        }
        other => panic!("expected OptOutUnavailable, got {other:?}"),
    }
    // Utility templates and free-form messages do not need the opt-out store.
    assert_eq!(
        block_on(guard.check(&ana(), &Outgoing::template("receipt"), NOW)),
        Ok(())
    );
    block_on(guard.windows().record_inbound(&ana(), NOW)).unwrap();
    assert_eq!(
        block_on(guard.check(&ana(), &Outgoing::FreeForm, NOW)),
        Ok(())
    );
}

#[test]
fn free_form_is_refused_when_the_window_cannot_be_read_unless_allowed() {
    let guard = SendGuard::new(Down, InMemoryOptOutStore::new());
    assert!(matches!(
        block_on(guard.check(&ana(), &Outgoing::FreeForm, NOW)),
        Err(Refusal::WindowUnavailable { .. })
    ));
    // Templates do not need the window.
    assert_eq!(
        block_on(guard.check(&ana(), &Outgoing::marketing_template("sale"), NOW)),
        Ok(())
    );
    let lenient = guard.allow_free_form_on_window_error(true);
    assert_eq!(
        block_on(lenient.check(&ana(), &Outgoing::FreeForm, NOW)),
        Ok(())
    );
}

#[test]
fn a_failed_dedup_check_counts_as_a_first_delivery() {
    let key = DedupKey::message("wamid.A");
    assert!(block_on(Down.check(&key, NOW)).is_err());
    assert_eq!(block_on(Down.check_or_first(&key, NOW)), Delivery::First);
    let payload = Payload::from_slice(TEXT).unwrap();
    for event in payload.events() {
        assert_eq!(block_on(Down.check_event(&event, NOW)), Delivery::First);
        assert_eq!(block_on(Down.check_event(&event, NOW)), Delivery::First);
    }
}

#[test]
fn observing_reports_a_failed_store_and_still_feeds_the_other() {
    let guard = SendGuard::new(Down, InMemoryOptOutStore::new());
    let payload = Payload::from_slice(TEXT).unwrap();
    let fed = block_on(guard.observe_payload(&payload, &Keywords::default()));
    assert_eq!(
        fed.map_err(|e| e.to_string()),
        Err("store unreachable".into())
    );
    assert!(block_on(guard.opt_outs().is_opted_out(&ana())).unwrap());
}

#[test]
fn a_failed_record_of_a_send_is_reported() {
    let policy: Arc<dyn SendPolicy + Send + Sync> =
        Arc::new(SendGuard::new(Down, InMemoryOptOutStore::new()));
    assert!(block_on(policy.record_sent(&ana(), NOW)).is_err());
}

#[test]
fn store_traits_are_object_safe_and_forward_through_arc() {
    let windows: Arc<dyn WindowTracker> = Arc::new(InMemoryWindowTracker::default());
    let opt_outs: Arc<dyn OptOutStore> = Arc::new(InMemoryOptOutStore::new());
    let seen: Arc<dyn Deduplicator> = Arc::new(InMemoryDeduplicator::default());
    let guard = SendGuard::new(Arc::clone(&windows), Arc::clone(&opt_outs));
    let payload = Payload::from_slice(TEXT).unwrap();
    for event in payload.events() {
        assert!(block_on(seen.check_event(&event, NOW)).is_first());
        assert_eq!(
            block_on(guard.observe(&event, &Keywords::default())).unwrap(),
            Some(Intent::OptOut)
        );
        assert!(!block_on(seen.check_event(&event, NOW)).is_first());
    }
    assert!(
        block_on(windows.state(&ana(), NOW + 60))
            .unwrap()
            .allows_free_form()
    );
    assert!(block_on(opt_outs.is_opted_out(&ana())).unwrap());
}

#[test]
fn block_on_waits_for_a_future_woken_from_another_thread() {
    use std::sync::Mutex;
    use std::task::{Poll, Waker};
    let slot: Arc<Mutex<(bool, Option<Waker>)>> = Arc::default();
    let shared = Arc::clone(&slot);
    let waiter = std::future::poll_fn(move |cx| {
        let mut state = shared.lock().unwrap();
        if state.0 {
            Poll::Ready(42)
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    });
    let setter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut state = slot.lock().unwrap();
        state.0 = true;
        if let Some(waker) = state.1.take() {
            waker.wake();
        }
    });
    assert_eq!(block_on(waiter), 42);
    setter.join().unwrap();
}
